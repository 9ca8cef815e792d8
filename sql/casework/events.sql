-- The log of the 督办台账 in order, as the chain is computed over it (epoch seconds for the
-- time, so that no formatting enters the MAC). $1: from this event_id on.
select
    event_id, case_no, cast(epoch(event_at) as bigint) as event_at, staff, action, from_state, to_state,
    note, details, file_sha256, mac
from case_events
where event_id >= $1
order by event_id
