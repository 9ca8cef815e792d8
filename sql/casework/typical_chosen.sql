-- Whether case $1 stands chosen as a typical case: its latest 典型案例 event is not a withdrawal.
select coalesce(
    (select json_extract_string(details, '$.withdrawn') is null
     from case_events
     where case_no = $1 and action = 'typical'
     order by event_id desc
     limit 1),
    false
)
