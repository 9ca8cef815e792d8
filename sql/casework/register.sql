-- The 督办台账: one row per case, read from its log. What a case is (kind, tickets, region,
-- field, departments, title) comes from its opening; its state from its last event; the
-- responsible staff member and the supervision form from the last assignment; the deadline
-- from the last event that set one (an assignment, or 退回重办). $1: today (for 是否超期);
-- $2 a state ('' for all); $3 a case ('' for all); $4 the workspace's offset from UTC in
-- seconds (the log keeps UTC; people read local time).
with events as (
    select * from case_events
),

opened as (
    select
        case_no,
        event_at + to_seconds($4) as opened_at,
        staff as opened_by,
        json_extract_string(details, '$.kind') as kind,
        json_extract_string(details, '$.title') as title,
        json_extract_string(details, '$.region') as region_name,
        json_extract_string(details, '$.field') as field_name,
        array_to_string(
            cast(json_extract(details, '$.departments') as varchar[]), '、') as departments,
        array_to_string(cast(json_extract(details, '$.tickets') as varchar[]), '、') as tickets
    from events
    where action = 'open'
),

last_event as (
    select
        case_no,
        arg_max(to_state, event_id) as state,
        max(event_at) + to_seconds($4) as last_at,
        count(*) as events
    from events
    group by case_no
),

assigned as (
    select
        case_no,
        arg_max(json_extract_string(details, '$.staff'), event_id) as responsible,
        arg_max(json_extract_string(details, '$.form'), event_id) as form
    from events
    where action = 'assign'
    group by case_no
),

deadlines as (
    select case_no, cast(arg_max(json_extract_string(details, '$.due'), event_id) as date) as due
    from events
    where json_extract_string(details, '$.due') is not null
    group by case_no
)

select
    o.case_no,
    o.kind as case_kind,
    l.state as case_state,
    o.title as case_title,
    o.region_name,
    o.field_name,
    o.departments,
    o.tickets,
    a.responsible,
    a.form as supervision_form,
    d.due as due_date,
    l.state in ('督办中', '待审核') and d.due < cast($1 as date) as is_overdue,
    o.opened_at,
    o.opened_by,
    l.last_at,
    l.events
from opened as o
inner join last_event as l using (case_no)
left join assigned as a using (case_no)
left join deadlines as d using (case_no)
where ($2 = '' or l.state = $2) and ($3 = '' or o.case_no = $3)
order by o.case_no
