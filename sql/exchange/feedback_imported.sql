-- The import of the file whose SHA-256 is $1, if it was imported before: its number and when
-- (local time, $2 seconds from UTC).
select json_extract_string(details, '$.import_no'), strftime(event_at + to_seconds($2), '%Y-%m-%d %H:%M'), staff
from case_events
where action = 'feedback' and file_sha256 = $1
order by event_id
limit 1
