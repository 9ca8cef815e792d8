-- 重点督办: the 重大 and 屡次不改 appeals of period $1 in region $2 ('' for the city), with
-- their state and the office's latest decision (supervision_decisions, from `rexian decide`).
select
    g.ticket_id, g.accepted_at, g.region_name, g.department, g.category,
    case when g.grade = '重大' and g.is_recurrence then '重大、屡次不改'
         when g.grade = '重大' then '重大' else '屡次不改' end as supervision_type,
    g.rule_fired, g.trigger_sentence, g.recurrence_of, g.status, g.is_overdue_open, g.action,
    d.decision, d.decided_at
from mart_graded_appeals as g
left join (
    select ticket_id, arg_max(decision, decided_at) as decision, max(decided_at) as decided_at
    from supervision_decisions group by all
) as d on d.ticket_id = g.ticket_id
where g.period_key = $1 and ($2 = '' or g.region_name = $2)
    and (g.grade = '重大' or g.is_recurrence)
order by g.grade <> '重大', g.accepted_at, g.ticket_id
