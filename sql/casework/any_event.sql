-- Whether the 督办台账's log has any event (the office keeps its casework in rexian).
select exists (select 1 from case_events)
