-- What case $1 was opened with (its first event's details, JSON).
select details from case_events where case_no = $1 and action = 'open'
