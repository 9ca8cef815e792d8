-- The log's pushes and feedback imports with the digest each event signed: for `rexian case
-- verify`, which recomputes each from the rows.
select
    action,
    json_extract_string(details, '$.' || if(action = 'push', 'push_no', 'import_no')) as batch_no,
    json_extract_string(details, '$.rows_sha256') as rows_sha256,
    event_id
from case_events
where action in ('push', 'feedback')
order by event_id
