-- The pushed items of period $1 whose grade as the warehouse now computes it differs from the
-- grade the hotline has (the last one sent; the office's correction since, if it made one):
-- shown to the office, never applied. It may correct the grade (`rexian push regrade`).
with sent as (
    select
        ticket_id,
        arg_min(grade, push_no) as frozen_grade,
        arg_max(grade, push_no) as sent_grade,
        max(push_no) as push_no
    from pushed_items
    where period_key = $1
    group by ticket_id
),

regraded as (
    select
        json_extract_string(details, '$.ticket') as ticket_id,
        arg_max(json_extract_string(details, '$.grade'), event_id) as grade
    from case_events
    where action = 'regrade'
    group by all
),

now as (
    select ticket_id, region_name, department, grade, rule_fired
    from mart_graded_appeals
    where period_key = $1
)

select
    s.ticket_id,
    $1 as period_key,
    n.region_name,
    n.department,
    s.push_no,
    s.frozen_grade,
    coalesce(r.grade, s.sent_grade) as sent_grade,
    n.grade as graded_now,
    n.rule_fired
from sent as s
left join now as n on n.ticket_id = s.ticket_id
left join regraded as r on r.ticket_id = s.ticket_id
where n.grade is distinct from coalesce(r.grade, s.sent_grade)
order by s.ticket_id
