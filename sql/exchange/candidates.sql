-- What a push of period $1 to county $2 ('' for the whole city) sends, item by item: each
-- graded appeal with its grade (the office's correction if it made one, else the grade it was
-- first pushed with, else the grade as it stands), the office's opinion on it (else the
-- rule's suggested action for that grade: the appeal's own when the grade is the one the
-- refresh computes, else the grade's [grading.actions] entry, 常规跟踪 for 一般), the case
-- opened from it and that case's state. Pushes are
-- incremental: an item goes when it was never pushed or when one of those changed since its
-- last push (to whichever county).
with graded as (
    select ticket_id, accepted_at, region_name, department, category, title, grade, action
    from mart_graded_appeals
    where period_key = $1 and ($2 = '' or region_name = $2)
),

regraded as (
    select
        json_extract_string(details, '$.ticket') as ticket_id,
        arg_max(json_extract_string(details, '$.grade'), event_id) as grade
    from case_events
    where action = 'regrade'
    group by all
),

opinions as (
    select json_extract_string(details, '$.ticket') as ticket_id, arg_max(note, event_id) as opinion
    from case_events
    where action = 'opinion'
    group by all
),

case_states as (
    select case_no, arg_max(to_state, event_id) as case_state
    from case_events
    where case_no <> ''
    group by case_no
),

ticket_cases as (
    -- A ticket in more than one case goes with the newest.
    select t.ticket_id, max(t.case_no) as case_no
    from (
        select unnest(cast(json_extract(details, '$.tickets') as varchar[])) as ticket_id, case_no
        from case_events
        where action = 'open'
    ) as t
    group by t.ticket_id
),

pushed as (
    select
        ticket_id,
        arg_min(grade, push_no) as frozen_grade,
        arg_max(grade, push_no) as last_grade,
        arg_max(opinion, push_no) as last_opinion,
        arg_max(case_no, push_no) as last_case_no,
        arg_max(case_state, push_no) as last_case_state
    from pushed_items
    group by ticket_id
),

effective as (
    select g.*, coalesce(r.grade, p.frozen_grade, g.grade) as effective_grade
    from graded as g
    left join regraded as r on r.ticket_id = g.ticket_id
    left join pushed as p on p.ticket_id = g.ticket_id
),

items as (
    select
        g.ticket_id,
        g.accepted_at,
        g.region_name,
        g.department,
        g.category,
        g.title,
        g.effective_grade as grade,
        if(r.grade is not null, '办公室更正', '推送时分级') as grade_basis,
        coalesce(o.opinion, case
            when g.effective_grade = g.grade then g.action
            when g.effective_grade <> '一般'
                then (select a.action from cfg_action as a where a.key = g.effective_grade)
            else (select a.action from cfg_action as a where a.key = 'general_routine')
        end) as opinion,
        if(o.opinion is not null, '督办办公室', '规则建议') as opinion_source,
        tc.case_no,
        cs.case_state,
        if(p.ticket_id is null, '新增', '更新') as change_kind,
        p.ticket_id is null as is_new,
        p.last_grade,
        p.last_opinion,
        p.last_case_no,
        p.last_case_state
    from effective as g
    left join regraded as r on r.ticket_id = g.ticket_id
    left join pushed as p on p.ticket_id = g.ticket_id
    left join opinions as o on o.ticket_id = g.ticket_id
    left join ticket_cases as tc on tc.ticket_id = g.ticket_id
    left join case_states as cs on cs.case_no = tc.case_no
)

select
    ticket_id, accepted_at, region_name, department, category, title, grade, grade_basis,
    opinion, opinion_source, case_no, case_state, change_kind
from items
where is_new
    or grade is distinct from last_grade
    or opinion is distinct from last_opinion
    or case_no is distinct from last_case_no
    or case_state is distinct from last_case_state
order by region_name, accepted_at, ticket_id
