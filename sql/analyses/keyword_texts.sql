-- The titles and contents (masked at load) of the enforcement-related appeals of the period
-- [$2, $3) and of the period before [$1, $2), for keyword counting: each distinct text once
-- per period, with the number of appeals that have it.
select
    f.accepted_at >= cast($2 as date) as in_period,
    coalesce(a.title, '') || '。' || coalesce(a.content, '') as text,
    count(*) as appeals
from fct_enforcement_appeals as f
inner join appeals as a on a.ticket_id = f.ticket_id
where f.accepted_at >= cast($1 as date) and f.accepted_at < cast($3 as date)
    -- the same bounds on appeals let DuckDB skip its row groups outside the two periods
    and a.accepted_at >= cast($1 as date) and a.accepted_at < cast($3 as date)
    and (coalesce(getvariable('rexian_region'), '') = '' or f.region_name = getvariable('rexian_region'))
group by all
