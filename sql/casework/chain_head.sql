-- The newest event of the 督办台账's log: its number and MAC (none when the log is empty).
select event_id, mac from case_events order by event_id desc limit 1
