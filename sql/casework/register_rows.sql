-- The 督办台账's register worked out from the log, one row per case ($1 a case, '' for
-- all), as case_register keeps it (migrations/006_case_register.sql). What a case is (kind,
-- tickets, region, field, departments, title) comes from its opening (its first event); its
-- state from its last event; the responsible staff member and the supervision form from the
-- last assignment; the deadline from the last event that set one (an assignment, 退回重办,
-- or a letter's reply deadline); its letters' 文号 in the order issued. Times stay UTC.
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
        max(event_id) as last_event_id,
        arg_max(details, event_id) filter (where action = 'assign') as assignment,
        arg_max(details, event_id) filter (where action in ('assign', 'return', 'letter')) as deadline,
        string_agg(json_extract_string(details, '$.number'), '、' order by event_id)
            filter (where action = 'letter') as letters
    from case_events
    where case_no <> '' and ($1 = '' or case_no = $1)
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
    letters,
    opened_at,
    opened_by,
    last_at,
    events,
    last_event_id
from per_case
order by case_no
