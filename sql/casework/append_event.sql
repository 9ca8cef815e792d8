-- Appends one event to the 督办台账's log (see migrations/004_casework.sql): $1 event_id, $2
-- case, $3 epoch seconds, $4 staff, $5 action, $6 from, $7 to, $8 note, $9 details (JSON),
-- $10 file SHA-256, $11 MAC.
insert into case_events (
    event_id, case_no, event_at, staff, action, from_state, to_state, note, details, file_sha256, mac
)
values ($1, $2, make_timestamp($3 * 1000000), $4, $5, $6, $7, $8, $9, $10, $11)
