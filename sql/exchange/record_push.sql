-- Records push $1 of period $2: the items staged in temp.push_items, as they were sent.
insert into pushed_items
select
    $1, ticket_id, $2, region_name, grade, grade_basis, opinion, opinion_source, case_no,
    case_state, change_kind
from temp.push_items
