-- 按诉求类型和来源渠道: per period and region_scope ('' for the whole city), the
-- enforcement-related appeals per 诉求类型 (投诉, 举报, 求助…) and per 来源渠道 (电话, 网站…),
-- with each one's share.
-- Read with `where period_key = ? and region_scope = ?`; a view (see dim_period_month).
-- materialized: view

with period_appeals as (
    select
        pm.period_key, f.region_name,
        coalesce(f.appeal_type, '未注明') as appeal_type,
        coalesce(f.channel, '未注明') as channel
    from fct_enforcement_appeals as f
    inner join dim_period_month as pm on pm.month = f.accepted_month and pm.in_period
),

counted as (
    select
        period_key,
        case when grouping(region_name) = 1 then '' else region_name end as region_scope,
        1 as dimension_order, '诉求类型' as dimension, appeal_type as item,
        count(*) as appeals
    from period_appeals
    group by grouping sets ((period_key, appeal_type), (period_key, region_name, appeal_type))
    union all
    select
        period_key,
        case when grouping(region_name) = 1 then '' else region_name end,
        2, '来源渠道', channel,
        count(*)
    from period_appeals
    group by grouping sets ((period_key, channel), (period_key, region_name, channel))
)

select
    period_key, region_scope, dimension_order, dimension, item, appeals,
    appeals / sum(appeals) over (partition by period_key, region_scope, dimension_order) as share
from counted
