-- The tickets of the cases still open (待研判, 督办中, 待审核) at a period's end, by the month
-- each was accepted in (its key, as the marts read it): the key-supervision list carries
-- them over into every later period until they are closed. $1 the day after the period's
-- last (a local date); $2 the workspace's offset from UTC in seconds (the log keeps UTC).
with case_at_end as (
    select arg_min(details, event_id) as opening, arg_max(to_state, event_id) as case_state
    from case_events
    where case_no <> '' and event_at + to_seconds($2) < cast($1 as timestamp)
    group by case_no
),

open_tickets as (
    select distinct unnest(cast(json_extract(opening, '$.tickets') as varchar[])) as ticket_id
    from case_at_end
    where case_state in ('待研判', '督办中', '待审核')
)

select strftime(f.accepted_month, '%Y-%m') as month_key, list(f.ticket_id order by f.ticket_id) as tickets
from fct_enforcement_appeals as f
semi join open_tickets as o on o.ticket_id = f.ticket_id
group by month_key
order by month_key
