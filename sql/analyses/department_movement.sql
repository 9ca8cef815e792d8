-- 排名变动 (quarterly and annual reports): each department ranked in period $1, with its rank
-- and 效能指数 in the period before ($2) and the change. Ranks are city-wide; a region's report
-- lists its own departments.
with now_ as (
    select unit_key, rank, score, band
    from mart_scores
    where period_key = $1
      and unit_kind = 'department'
      and rank is not null
      and (coalesce(getvariable('rexian_region'), '') = ''
           or region_name = getvariable('rexian_region'))
),

before as (
    select unit_key, rank, score
    from mart_scores
    where period_key = $2
      and unit_kind = 'department'
      and rank is not null
)

select
    n.rank as 本期排名,
    n.unit_key as 单位,
    b.rank as 上期排名,
    case
        when b.rank is null then '新进排名'
        when b.rank = n.rank then '持平'
        when b.rank > n.rank then '上升' || (b.rank - n.rank) || '位'
        else '下降' || (n.rank - b.rank) || '位'
    end as 名次变化,
    round(n.score, 1) as 效能指数,
    round(n.score - b.score, 1) as 指数升降,
    n.band as 等级
from now_ as n
left join before as b using (unit_key)
order by n.rank, n.unit_key
