-- The 督办台账: one row per case, read from case_register (kept from the log with each
-- event: casework::register).
-- $1 today (for 是否超期); $2 a state ('' for all); $3 a case ('' for all); $4 the
-- workspace's offset from UTC in seconds (the log keeps UTC; people read local time); $5 a
-- day ('' for none): only the open cases (督办中, 待审核) due by then, soonest first (督办提醒).
select
    case_no,
    case_kind,
    case_state,
    case_title,
    region_name,
    field_name,
    departments,
    tickets,
    responsible,
    supervision_form,
    due_date,
    case_state in ('督办中', '待审核') and due_date < cast($1 as date) as is_overdue,
    letters,
    opened_at + to_seconds($4) as opened_at,
    opened_by,
    last_at + to_seconds($4) as last_at,
    events
from case_register
where ($2 = '' or case_state = $2)
    and ($3 = '' or case_no = $3)
    and ($5 = '' or (
        case_state in ('督办中', '待审核')
        and due_date <= cast(nullif($5, '') as date)
    ))
order by if($5 = '', null, due_date), case_no
