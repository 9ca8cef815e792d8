-- The rows of the feedback file being imported, as read (times as text, cast on record).
create or replace temp table feedback_in (
    row_no       integer not null,
    ticket_id    varchar not null,
    push_no      varchar,
    received_at  varchar,
    result       varchar,
    redispatched varchar,
    feedback_at  varchar,
    remark       varchar,
    row_sha256   varchar not null
)
