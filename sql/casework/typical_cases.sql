-- 典型案例 of a period: the cases whose latest 典型案例 event chose them (not a withdrawal),
-- with a ticket accepted in the period ($1 its first day, $2 the day after its last) and, for a
-- region's report, a ticket of that region ($3, '' for the city); with what the case was
-- opened with, its state and letters, and the office's account. In the order of their numbers.
with chosen as (
    select case_no, arg_max(details, event_id) as account
    from case_events
    where action = 'typical'
    group by case_no
    having json_extract_string(arg_max(details, event_id), '$.withdrawn') is null
),

per_case as (
    select
        e.case_no,
        arg_min(e.details, e.event_id) as opening,
        arg_max(e.to_state, e.event_id) as case_state,
        string_agg(json_extract_string(e.details, '$.number'), '、' order by e.event_id)
            filter (where e.action = 'letter') as letters
    from case_events as e
    semi join chosen as c on c.case_no = e.case_no
    group by e.case_no
),

tickets as (
    select p.case_no, unnest(cast(json_extract(p.opening, '$.tickets') as varchar[])) as ticket_id
    from per_case as p
),

in_period as (
    select distinct t.case_no
    from tickets as t
    inner join fct_enforcement_appeals as f on f.ticket_id = t.ticket_id
    where f.accepted_month >= cast($1 as date) and f.accepted_month < cast($2 as date)
        and ($3 = '' or f.region_name = $3)
)

select
    p.case_no,
    json_extract_string(p.opening, '$.kind') as case_kind,
    json_extract_string(p.opening, '$.title') as case_title,
    json_extract_string(p.opening, '$.region') as region_name,
    json_extract_string(p.opening, '$.field') as field_name,
    array_to_string(cast(json_extract(p.opening, '$.departments') as varchar[]), '、') as departments,
    array_to_string(cast(json_extract(p.opening, '$.tickets') as varchar[]), '、') as tickets,
    p.case_state,
    p.letters,
    json_extract_string(c.account, '$.problem') as problem,
    json_extract_string(c.account, '$.action') as supervision_action,
    json_extract_string(c.account, '$.result') as result
from per_case as p
inner join chosen as c using (case_no)
semi join in_period as i on i.case_no = p.case_no
order by p.case_no
