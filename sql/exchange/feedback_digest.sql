-- The rows of feedback import $1 as its signed event's digest covers them.
select
    cast(row_no as varchar), ticket_id, push_no, cast(received_at as varchar), result, redispatched,
    cast(feedback_at as varchar), remark, row_sha256
from feedback_rows
where import_no = $1
order by row_no
