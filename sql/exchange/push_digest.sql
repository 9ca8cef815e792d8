-- The rows of push $1 as its signed event's digest covers them (see casework/exchange.rs).
select
    ticket_id, period_key, region_name, grade, grade_basis, opinion, opinion_source, case_no,
    case_state, change_kind
from pushed_items
where push_no = $1
order by ticket_id
