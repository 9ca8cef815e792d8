-- Records import $1: each staged row not already imported (the same fields, from this file or
-- an earlier one) once, matched to the push it answers: the push the row names, if that push
-- sent the ticket; else the ticket's latest push. A row that matches no push is kept, with no
-- push (未匹配).
insert into feedback_rows
with fresh as (
    select f.*
    from temp.feedback_in as f
    where f.row_sha256 not in (select row_sha256 from feedback_rows)
    qualify row_number() over (partition by f.row_sha256 order by f.row_no) = 1
),

latest as (
    select ticket_id, max(push_no) as push_no from pushed_items group by ticket_id
)

select
    $1,
    f.row_no,
    f.ticket_id,
    coalesce(named.push_no, l.push_no),
    cast(f.received_at as timestamp),
    f.result,
    f.redispatched,
    cast(f.feedback_at as timestamp),
    f.remark,
    f.row_sha256
from fresh as f
left join latest as l on l.ticket_id = f.ticket_id
left join pushed_items as named on named.push_no = f.push_no and named.ticket_id = f.ticket_id
