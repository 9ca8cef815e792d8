-- The hotline's feedback as imported: every row, or ($1) only those that match no push.
select
    import_no, row_no, ticket_id, push_no, push_no is not null as is_matched, received_at,
    result, redispatched, feedback_at, remark
from feedback_rows
where not $1 or push_no is null
order by import_no, row_no
