-- Migration 4: the 督办台账. Every change to a supervision case (督办事项) is one row of
-- case_events, appended and never updated; the register (sql/casework/register.sql) is read
-- from it. Each event carries an HMAC-SHA256, keyed by a key derived from the workspace's
-- secret key, over the previous event's MAC and this event's fields, so that
-- `rexian case verify` finds an edit, an insertion or a deletion made behind rexian's back.
create table if not exists case_events (
    event_id    bigint not null primary key, -- 1, 2, 3 … with no gaps
    case_no     varchar not null,            -- 督办事项编号, YYYY-NNNN (its own yearly sequence)
    event_at    timestamp not null,          -- when, in UTC (whole seconds)
    staff       varchar not null,            -- who ([casework] staff of rexian.toml)
    action      varchar not null,            -- open, assign, reject, answer, approve, return, close
    from_state  varchar,                     -- NULL for open
    to_state    varchar not null,
    note        varchar,                     -- the reason, the answer's summary, the opinion
    details     varchar,                     -- JSON: what the action set (tickets, deadline…)
    file_sha256 varchar,                     -- SHA-256 of a file attached to the event
    mac         varchar not null             -- HMAC of the previous event's MAC and this row
);
