-- The text (title and content, masked at load) of every enforcement-related appeal, in order
-- of acceptance, for the keyword analyses: read here, they need neither the join with
-- appeals nor its other columns, and a month's texts sit in a few row groups.
select
    f.ticket_id,
    f.accepted_at,
    f.accepted_month,
    f.region_name,
    coalesce(a.title, '') || '。' || coalesce(a.content, '') as text
from fct_enforcement_appeals as f
inner join appeals as a on a.ticket_id = f.ticket_id
order by f.accepted_at, f.ticket_id
