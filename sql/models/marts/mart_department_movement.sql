-- 排名变动 (quarterly and annual reports): per period, each ranked department with its rank
-- and 效能指数 in the period before (dim_period.prev_key) and the change. Ranks are
-- city-wide; a region's report reads its own departments.
-- Read with `where period_key = ?` (and a region_name).
-- materialized: view

with ranked as (
    select period_key, unit_key, region_name, rank, score, band
    from mart_scores
    where unit_kind = 'department' and rank is not null
)

select
    n.period_key,
    n.region_name,
    n.rank as rank_now,
    n.unit_key,
    b.rank as rank_prev,
    case
        when b.rank is null then '新进排名'
        when b.rank = n.rank then '持平'
        when b.rank > n.rank then '上升' || (b.rank - n.rank) || '位'
        else '下降' || (n.rank - b.rank) || '位'
    end as rank_change,
    round(n.score, 1) as score,
    round(n.score - b.score, 1) as score_change,
    n.band
from ranked as n
inner join dim_period as p using (period_key)
left join ranked as b on b.period_key = p.prev_key and b.unit_key = n.unit_key
