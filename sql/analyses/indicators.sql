-- One row per unit of kind $2 in period $1: every indicator, the composite 效能指数, its
-- band and rank. $3 limits the rows to one region ('' for all). The rank follows 保守效能指数
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
    s.rank,
    w.unit_key,
    w.region_name,
    cast(w.volume as bigint) as volume,
    w.volume_mom,
    w.volume_yoy,
    w.sign_rate,
    w.on_time_rate,
    w.overdue_rate,
    round(w.handling_days_mean, 2) as handling_days_mean,
    w.handling_days_median,
    w.extension_rate,
    w.return_rate,
    w.resolution_rate,
    w.satisfaction_rate,
    w.satisfaction_strict_rate,
    w.reopen_rate,
    w.repeat_rate,
    cast(s.valid_callbacks as bigint) as valid_callbacks,
    round(s.score, 1) as score,
    round(s.rank_score, 1) as rank_score,
    s.band,
    s.rules_version
from wide as w
left join mart_scores as s
    on s.period_key = $1 and s.unit_kind = $2 and s.unit_key = w.unit_key
order by s.rank nulls last, w.volume desc, w.unit_key
