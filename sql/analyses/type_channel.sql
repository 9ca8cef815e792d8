-- 按诉求类型和来源渠道 of [$1, $2): the enforcement-related appeals per 诉求类型 (投诉, 举报,
-- 求助…) and per 来源渠道 (电话, 网站…), with each one's share.
with period_appeals as (
    select appeal_type, channel
    from fct_enforcement_appeals
    where accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
        and (coalesce(getvariable('rexian_region'), '') = '' or region_name = getvariable('rexian_region'))
),

counted as (
    select 1 as dim_order, '诉求类型' as 维度, coalesce(appeal_type, '未注明') as 名称,
        count(*) as 件数, count(*) / sum(count(*)) over () as 占比
    from period_appeals
    group by all
    union all
    select 2, '来源渠道', coalesce(channel, '未注明'),
        count(*), count(*) / sum(count(*)) over ()
    from period_appeals
    group by all
)

select 维度, 名称, 件数, 占比
from counted
order by dim_order, 件数 desc, 名称
