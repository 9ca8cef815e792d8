-- One row per unit of kind $2 in period $1: every indicator, the composite 效能指数, its
-- band and rank. $3 limits the rows to one region ('' for all). 排名 follows 保守效能指数
-- (mart_scores.rank_score: each rate at the pessimistic end of its Wilson interval), so a
-- unit with a higher 效能指数 from few cases can rank below one with more.

with v as (
    select * from mart_indicator_values
    where period_key = $1 and unit_kind = $2
        and ($3 = '' or region_name = $3 or (unit_kind = 'field'))
),

wide as (
    select
        unit_key, any_value(region_name) as region_name,
        max(value) filter (where indicator = 'volume') as volume,
        max(change_prev) filter (where indicator = 'volume') as volume_mom,
        max(change_yoy) filter (where indicator = 'volume') as volume_yoy,
        max(value) filter (where indicator = 'sign_rate') as sign_rate,
        max(value) filter (where indicator = 'on_time_rate') as on_time_rate,
        max(value) filter (where indicator = 'overdue_rate') as overdue_rate,
        max(value) filter (where indicator = 'handling_days_mean') as handling_days_mean,
        max(value) filter (where indicator = 'handling_days_median') as handling_days_median,
        max(value) filter (where indicator = 'extension_rate') as extension_rate,
        max(value) filter (where indicator = 'return_rate') as return_rate,
        max(value) filter (where indicator = 'resolution_rate') as resolution_rate,
        max(value) filter (where indicator = 'satisfaction_rate') as satisfaction_rate,
        max(value) filter (where indicator = 'satisfaction_strict_rate') as satisfaction_strict_rate,
        max(value) filter (where indicator = 'reopen_rate') as reopen_rate,
        max(value) filter (where indicator = 'repeat_rate') as repeat_rate
    from v
    group by unit_key
)

select
    s.rank as 排名,
    w.unit_key as 单位,
    w.region_name as 区县,
    cast(w.volume as bigint) as 诉求量,
    w.volume_mom as 诉求量环比增长,
    w.volume_yoy as 诉求量同比增长,
    w.sign_rate as 及时签收率,
    w.on_time_rate as 按期办结率,
    w.overdue_rate as 超期率,
    round(w.handling_days_mean, 2) as 平均办理时长,
    w.handling_days_median as 办理时长中位数,
    w.extension_rate as 延期率,
    w.return_rate as 退单率,
    w.resolution_rate as 问题解决率,
    w.satisfaction_rate as 回访满意率,
    w.satisfaction_strict_rate as 严格满意率,
    w.reopen_rate as 重办率,
    w.repeat_rate as 重复诉求率,
    cast(s.valid_callbacks as bigint) as 有效回访数,
    round(s.score, 1) as 效能指数,
    round(s.rank_score, 1) as 保守效能指数,
    s.band as 等级,
    s.rules_version as 规则版本
from wide as w
left join mart_scores as s
    on s.period_key = $1 and s.unit_kind = $2 and s.unit_key = w.unit_key
order by s.rank nulls last, w.volume desc, w.unit_key
