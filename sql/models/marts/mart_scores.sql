-- The composite 效能指数 (0–100) of every unit and period, its grade band, and its rank.
--
-- score: each indicator through its curve (cfg_scoring_curve, from rexian.toml
--   [scoring.curves]), averaged by weight inside its group, groups weighted by
--   [scoring.groups]. An indicator without a value leaves its weight to the others.
-- rank_score: the same, but every rate replaced by the pessimistic end of its Wilson
--   interval (lower bound where higher is better, upper bound where lower is better), so a
--   rate from a handful of cases cannot win. Ranks order units of one kind by rank_score.
-- A unit with fewer valid callbacks than [scoring] min_callbacks is 样本不足: no band, no rank.

with values_ as (
    select * from mart_indicator_values
),

curves as (
    select * from cfg_scoring_curve
),

params as (
    select
        cast(max(value) filter (where key = 'confidence_z') as double) as z,
        cast(max(value) filter (where key = 'min_callbacks') as integer) as min_callbacks,
        max(value) filter (where key = 'rules_version') as rules_version
    from cfg_param
),

bounded as (
    select
        v.period_kind, v.period_key, v.unit_kind, v.unit_key, v.region_name,
        v.indicator, v.value, c.group_name, c.group_weight, c.weight, c.floor, c.target,
        case
            when v.unit <> 'rate' or v.value is null then v.value
            else (
                v.value + z * z / (2 * v.denominator)
                + (case when c.target > c.floor then -1 else 1 end)
                    * z * sqrt(v.value * (1 - v.value) / v.denominator
                        + z * z / (4 * v.denominator * v.denominator))
            ) / (1 + z * z / v.denominator)
        end as rank_value
    from values_ as v
    inner join curves as c using (indicator)
    cross join params
),

curve_scores as (
    select
        *,
        greatest(0, least(100, 100 * (value - floor) / (target - floor))) as score,
        greatest(0, least(100, 100 * (rank_value - floor) / (target - floor))) as rank_score
    from bounded
),

group_scores as (
    select
        period_kind, period_key, unit_kind, unit_key, group_name,
        any_value(group_weight) as group_weight,
        sum(score * weight) / nullif(sum(weight) filter (where score is not null), 0) as score,
        sum(rank_score * weight) / nullif(sum(weight) filter (where rank_score is not null), 0)
            as rank_score
    from curve_scores
    group by all
),

composite as (
    select
        period_kind, period_key, unit_kind, unit_key,
        sum(score * group_weight)
            / nullif(sum(group_weight) filter (where score is not null), 0) as score,
        sum(rank_score * group_weight)
            / nullif(sum(group_weight) filter (where rank_score is not null), 0) as rank_score,
        max(score) filter (where group_name = '响应') as score_response,
        max(score) filter (where group_name = '办理效能') as score_efficiency,
        max(score) filter (where group_name = '办理质量') as score_quality,
        max(score) filter (where group_name = '群众满意') as score_satisfaction
    from group_scores
    group by all
),

samples as (
    select
        period_kind, period_key, unit_kind, unit_key, region_name,
        max(value) filter (where indicator = 'volume') as volume,
        coalesce(max(denominator) filter (where indicator = 'satisfaction_rate'), 0)
            as valid_callbacks
    from values_
    group by all
),

banded as (
    select
        s.*,
        c.* exclude (period_kind, period_key, unit_kind, unit_key),
        s.valid_callbacks < (select min_callbacks from params) or c.score is null
            as is_small_sample,
        case
            when s.valid_callbacks < (select min_callbacks from params) or c.score is null
                then '样本不足'
            else coalesce(
                (select b.band from cfg_band as b where c.score >= b.min_score
                 order by b.min_score desc limit 1),
                '较差')
        end as band
    from samples as s
    left join composite as c using (period_kind, period_key, unit_kind, unit_key)
),

ranked as (
    select
        *,
        case when not is_small_sample then
            rank() over (
                partition by period_kind, period_key, unit_kind, is_small_sample
                order by round(rank_score, 9) desc
            )
        end as rank,
        count(*) filter (where not is_small_sample) over (
            partition by period_kind, period_key, unit_kind) as ranked_units
    from banded
)

select
    r.*,
    (select rules_version from params) as rules_version
from ranked as r
order by period_kind, period_key, unit_kind, rank nulls last, unit_key
