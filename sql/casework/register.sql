-- The 督办台账: one row per case, read from its log. What a case is (kind, tickets, region,
-- field, departments, title) comes from its opening (its first event); its state from its
-- last event; the responsible staff member and the supervision form from the last
-- assignment; the deadline from the last event that set one (an assignment, 退回重办, or a
-- letter's reply deadline); its letters' 文号 in the order issued.
-- $1 today (for 是否超期); $2 a state ('' for all); $3 a case ('' for all); $4 the
-- workspace's offset from UTC in seconds (the log keeps UTC; people read local time); $5 a
-- day ('' for none): only the open cases (督办中, 待审核) due by then, soonest first (督办提醒).
-- One pass over the log, and each case's JSON read once, not each event's.
with per_case as (
    select
        case_no,
        min(event_at) as opened_at,
        arg_min(staff, event_id) as opened_by,
        arg_min(details, event_id) as opening,
        arg_max(to_state, event_id) as state,
        max(event_at) as last_at,
        count(*) as events,
        arg_max(details, event_id) filter (where action = 'assign') as assignment,
        arg_max(details, event_id) filter (where action in ('assign', 'return', 'letter')) as deadline,
        string_agg(json_extract_string(details, '$.number'), '、' order by event_id)
            filter (where action = 'letter') as letters
    from case_events
    where case_no <> '' and ($3 = '' or case_no = $3)
    group by case_no
)

select
    case_no,
    json_extract_string(opening, '$.kind') as case_kind,
    state as case_state,
    json_extract_string(opening, '$.title') as case_title,
    json_extract_string(opening, '$.region') as region_name,
    json_extract_string(opening, '$.field') as field_name,
    array_to_string(cast(json_extract(opening, '$.departments') as varchar[]), '、') as departments,
    array_to_string(cast(json_extract(opening, '$.tickets') as varchar[]), '、') as tickets,
    json_extract_string(assignment, '$.staff') as responsible,
    json_extract_string(assignment, '$.form') as supervision_form,
    cast(json_extract_string(deadline, '$.due') as date) as due_date,
    state in ('督办中', '待审核')
        and cast(json_extract_string(deadline, '$.due') as date) < cast($1 as date) as is_overdue,
    letters,
    opened_at + to_seconds($4) as opened_at,
    opened_by,
    last_at + to_seconds($4) as last_at,
    events
from per_case
where ($2 = '' or state = $2)
    and ($5 = '' or (
        state in ('督办中', '待审核')
        and cast(json_extract_string(deadline, '$.due') as date) <= cast(nullif($5, '') as date)
    ))
order by if($5 = '', null, cast(json_extract_string(deadline, '$.due') as date)), case_no
