-- 普遍性执法问题 of each period: the category × field pairs whose enforcement-related appeals
-- reached [grading] widespread_regions regions with at least widespread_orders_per_region
-- appeals each in the period, counted city-wide (a region's grades read the city's).
-- Read with `where period_key = ?`: the filter reaches the appeals' scan (dim_period_month).
-- materialized: view

with params as (
    select
        cast(max(value) filter (where key = 'widespread_regions') as integer) as wide_regions,
        cast(max(value) filter (where key = 'widespread_orders_per_region') as integer)
            as wide_per_region
    from cfg_param
),

per_region as (
    select pm.period_key, f.category, f.field_name, f.region_name, count(*) as appeals
    from fct_enforcement_appeals as f
    inner join dim_period_month as pm on pm.month = f.accepted_month and pm.in_period
    group by all
    having count(*) >= (select wide_per_region from params)
)

select
    period_key,
    category,
    field_name,
    count(*) as regions,
    (select wide_per_region from params) as appeals_per_region,
    sum(appeals) as appeals
from per_region
group by all
having count(*) >= (select wide_regions from params)
