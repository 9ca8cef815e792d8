-- The state a case is in: its last event's.
select to_state from case_events where case_no = $1 order by event_id desc limit 1
