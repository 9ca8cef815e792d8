-- Migration 6: the 督办台账's register as a table, one row per case, kept up to date in the
-- transaction of each event (casework::register), so that `rexian case list` and the
-- 督办提醒 read 10 000 cases without parsing 200 000 events' JSON each time. It is derived
-- from case_events (sql/casework/register_rows.sql) and never the truth: `rexian case
-- verify` compares it with the log, and `case verify --repair` rebuilds it from a whole log.
-- The rows of a log older than this migration are filled in by the migration's run
-- (migrate::run rebuilds the register after it).
create table if not exists case_register (
    case_no          varchar not null,  -- 督办事项编号
    case_kind        varchar,           -- 个案监督, 会商, 专项执法监督, 提醒 (its opening's)
    case_state       varchar not null,  -- its last event's state
    case_title       varchar,
    region_name      varchar,
    field_name       varchar,
    departments      varchar,           -- joined with 、
    tickets          varchar,           -- joined with 、
    responsible      varchar,           -- the last assignment's staff member
    supervision_form varchar,           -- the last assignment's form
    due_date         date,              -- from the last event that set a deadline
    letters          varchar,           -- its letters' 文号, in the order issued, joined with 、
    opened_at        timestamp not null, -- UTC, as the log keeps it
    opened_by        varchar not null,
    last_at          timestamp not null, -- UTC
    events           bigint not null,   -- how many events the case has
    last_event_id    bigint not null    -- its newest event
);
