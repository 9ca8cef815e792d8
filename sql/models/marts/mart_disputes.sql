-- 会商研判: per period, the category × region pairs whose appeals were returned (退单), with
-- who returned them and who finally closed them — the candidate lead department (牵头单位)
-- is the one that closed most of them.
-- Read with `where period_key = ?` (and a region_name); a view (see dim_period_month).
-- materialized: view

with period_appeals as (
    select pm.period_key, f.*
    from fct_enforcement_appeals as f
    inner join dim_period_month as pm on pm.month = f.accepted_month and pm.in_period
),

by_category as (
    select
        period_key, category, region_name,
        count(*) as appeals,
        count(*) filter (where returns >= 1) as returned,
        sum(returns) as returns
    from period_appeals
    group by all
    having count(*) filter (where returns >= 1) > 0
),

returners as (
    select period_key, category, region_name,
        string_agg(format('{}({})', dep, n), '、' order by n desc, dep) as returned_by
    from (
        select period_key, category, region_name, dep, count(*) as n
        from (
            select period_key, category, region_name,
                trim(unnest(string_split(returned_by, '、'))) as dep
            from period_appeals
            where returns >= 1 and returned_by is not null
        )
        where dep <> ''
        group by all
    )
    group by all
),

closers as (
    select period_key, category, region_name,
        string_agg(format('{}({})', department, n), '、' order by n desc, department) as closed_by,
        first(department order by n desc, department) as lead_candidate
    from (
        select period_key, category, region_name, department, count(*) as n
        from period_appeals
        where returns >= 1 and closed_at is not null
        group by all
    )
    group by all
)

select
    c.period_key,
    c.category,
    c.region_name,
    c.appeals,
    c.returned,
    round(c.returned / c.appeals, 4) as return_rate,
    c.returns,
    r.returned_by,
    cl.closed_by,
    cl.lead_candidate
from by_category as c
left join returners as r using (period_key, category, region_name)
left join closers as cl using (period_key, category, region_name)
