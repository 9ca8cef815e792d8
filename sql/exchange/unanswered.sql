-- 件件有回音: each pushed item the hotline has sent back no feedback on ($3 working days —
-- [casework] feedback_workdays — after its first push, on the official calendar), as of
-- today $1; times at the workspace's offset $2 (seconds from UTC). An item's feedback is any
-- imported row matched to one of its pushes. An item whose due day lies beyond the official
-- calendar has no feedback_due: the caller reports those apart.
with pushes as (
    select
        json_extract_string(details, '$.push_no') as push_no,
        cast(event_at + to_seconds($2) as date) as pushed_on
    from case_events
    where action = 'push'
),

workdays as (
    select date, row_number() over (order by date) as n from dim_date where is_workday
),

due as (
    -- The working day $3 after the push: the push day's place among working days, plus $3.
    select p.push_no, p.pushed_on, d.date as feedback_due
    from pushes as p
    left join workdays as d
        on d.n = (select count(*) from workdays as w where w.date <= p.pushed_on) + $3
),

items as (
    select
        ticket_id,
        min(push_no) as first_push,
        arg_max(region_name, push_no) as region_name,
        arg_max(grade, push_no) as grade,
        arg_max(case_no, push_no) as case_no,
        count(*) as pushes
    from pushed_items
    group by ticket_id
),

answered as (
    select distinct ticket_id from feedback_rows where push_no is not null
)

select
    i.ticket_id,
    i.region_name,
    g.department,
    i.grade,
    i.case_no,
    i.first_push as push_no,
    d.pushed_on,
    d.feedback_due,
    cast($1 as date) - d.feedback_due as days_overdue
from items as i
join due as d on d.push_no = i.first_push
left join (
    select ticket_id, any_value(department) as department from fct_enforcement_appeals group by all
) as g on g.ticket_id = i.ticket_id
where i.ticket_id not in (select ticket_id from answered)
    and (d.feedback_due is null or d.feedback_due < cast($1 as date))
order by d.feedback_due nulls last, i.region_name, i.ticket_id
