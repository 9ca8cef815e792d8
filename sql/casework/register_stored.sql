-- The register as case_register keeps it, in the columns and order of register_rows.sql, for
-- `rexian case verify` to compare with the log.
select
    case_no, case_kind, case_state, case_title, region_name, field_name, departments, tickets,
    responsible, supervision_form, due_date, letters, opened_at, opened_by, last_at, events,
    last_event_id
from case_register
order by case_no
