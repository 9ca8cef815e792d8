-- The events of case $1, oldest first, each action in the office's words (the words of
-- src/casework/state.rs, Action::word), at local time ($2: the offset from UTC in seconds).
select
    event_id,
    event_at + to_seconds($2) as event_at,
    staff,
    case action
        when 'open' then '立案'
        when 'assign' then '交办'
        when 'reject' then '不予立案'
        when 'answer' then '登记答复'
        when 'approve' then '审核通过'
        when 'return' then '退回重办'
        when 'close' then '办结'
        when 'letter' then '发函'
        when 'void_letter' then '文号作废'
        when 'typical' then '典型案例'
        else action
    end as case_action,
    from_state,
    to_state,
    note,
    file_sha256
from case_events
where case_no = $1
order by event_id
