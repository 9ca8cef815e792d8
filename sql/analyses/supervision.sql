-- 重点督办: the 重大 and 屡次不改 appeals of period $1 in region $2 ('' for the city), with
-- their state, the office's latest decision (supervision_decisions, from `rexian decide`) and
-- the 督办台账's case on each (its state at the period's end: $3 the day after the period's
-- last, a local date; $4 the workspace's offset from UTC in seconds, as the log keeps UTC).
-- With tickets $5 (a JSON list of 工单编号; '[]' for none), read instead those tickets of period $1
-- whatever their grade:
-- the tickets of cases still open at a later period's end, read in the month they were
-- accepted in (sql/casework/open_case_months.sql), so that a case opened on a March item
-- is listed in April until it is closed.
with case_at_end as (
    select
        case_no,
        arg_min(details, event_id) as opening,
        arg_max(to_state, event_id) as case_state
    from case_events
    where case_no <> '' and event_at + to_seconds($4) < cast($3 as timestamp)
    group by case_no
),

-- A ticket in more than one case is shown with its latest.
ticket_case as (
    select ticket_id, max(case_no) as case_no, arg_max(case_state, case_no) as case_state
    from (
        select
            unnest(cast(json_extract(opening, '$.tickets') as varchar[])) as ticket_id,
            case_no,
            case_state
        from case_at_end
    )
    group by ticket_id
)

select
    g.ticket_id, g.accepted_at, g.region_name, g.department, g.category,
    case when g.grade = '重大' and g.is_recurrence then '重大、屡次不改'
         when g.grade = '重大' then '重大'
         when g.is_recurrence then '屡次不改'
         else g.grade end as supervision_type,
    g.rule_fired, g.trigger_sentence, g.recurrence_of, g.status, g.is_overdue_open, g.action,
    d.decision, d.decided_at, c.case_no, c.case_state as case_status
from mart_graded_appeals as g
left join (
    select ticket_id, arg_max(decision, decided_at) as decision, max(decided_at) as decided_at
    from supervision_decisions group by all
) as d on d.ticket_id = g.ticket_id
left join ticket_case as c on c.ticket_id = g.ticket_id
where g.period_key = $1 and ($2 = '' or g.region_name = $2)
    and if(json_array_length($5) = 0, g.grade = '重大' or g.is_recurrence,
        list_contains(from_json($5, '["VARCHAR"]'), g.ticket_id))
order by g.grade <> '重大', g.accepted_at, g.ticket_id
