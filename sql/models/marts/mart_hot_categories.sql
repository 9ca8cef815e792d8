-- 热点问题: per period and region_scope ('' for the whole city, else one region), the
-- [analysis] top categories with most enforcement-related appeals, with the count of the
-- period before (as long as this one: dim_period_month.in_prev) and the growth.
-- Read with `where period_key = ? and region_scope = ?`; a view for the reason dim_period_month
-- gives (the grouping sets keep period_key, so the period's months still reach the scan).
-- materialized: view

with counted as (
    select
        pm.period_key,
        case when grouping(f.region_name) = 1 then '' else f.region_name end as region_scope,
        f.category,
        count(*) filter (where pm.in_period) as appeals,
        count(*) filter (where pm.in_prev) as appeals_prev
    from fct_enforcement_appeals as f
    inner join dim_period_month as pm
        on pm.month = f.accepted_month and (pm.in_period or pm.in_prev)
    group by grouping sets ((pm.period_key, f.category), (pm.period_key, f.region_name, f.category))
),

ranked as (
    select
        *,
        row_number() over (
            partition by period_key, region_scope order by appeals desc, category
        ) as rank,
        sum(appeals) over (partition by period_key, region_scope) as scope_appeals
    from counted
    where appeals > 0
)

select
    period_key,
    region_scope,
    rank,
    category,
    appeals,
    round(appeals / scope_appeals, 4) as share,
    appeals_prev,
    case when appeals_prev > 0 then round(appeals / appeals_prev - 1, 4) end as growth
from ranked
where rank <= (select cast(value as integer) from cfg_param where key = 'top')
