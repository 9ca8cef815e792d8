-- The exchange file of push $1 (format $2), from the items staged in temp.push_items: the
-- columns docs/exchange.md describes, in its order.
select
    $1 as push_no,
    $2 as format_version,
    ticket_id, accepted_at, region_name, department, category, title, grade, grade_basis,
    opinion, opinion_source, case_no, case_state, change_kind
from temp.push_items
order by region_name, accepted_at, ticket_id
