-- The items of month $1 (its key) that [casework] auto_open opens a case for: accepted on or
-- after $2, graded 重大 (when $3) or 屡次不改 (when $4) in that month, and no case of the
-- 督办台账 opened from them yet (a case the office rejected is not opened again). With the
-- reason in the office's words, oldest first.
with in_cases as (
    select distinct unnest(cast(json_extract(details, '$.tickets') as varchar[])) as ticket_id
    from case_events
    where action = 'open'
)

select
    g.ticket_id,
    case when $3 and g.grade = '重大' and $4 and g.is_recurrence then '重大、屡次不改'
         when $3 and g.grade = '重大' then '重大'
         else '屡次不改' end as reason
from mart_graded_appeals as g
where g.period_key = $1
    and g.accepted_at >= cast($2 as date)
    and (($3 and g.grade = '重大') or ($4 and g.is_recurrence))
    and g.ticket_id not in (select ticket_id from in_cases)
order by g.accepted_at, g.ticket_id
