-- Who recorded a case's latest answer (four-eyes: they may not approve it).
select staff from case_events
where case_no = $1 and action = 'answer'
order by event_id desc
limit 1
