-- 试点成效: satisfaction, on-time closing and returns of the pilot units and the other units,
-- before (the baseline) and during the pilot (rexian.toml [pilot]), and the difference in
-- differences: (pilot during − pilot before) − (others during − others before). One row per
-- indicator, for the whole pilot (not per period).
-- materialized: view

with params as (
    select
        cast(max(value) filter (where key = 'pilot_start') as date) as pilot_start,
        cast(max(value) filter (where key = 'pilot_end') as date) as pilot_end,
        cast(max(value) filter (where key = 'baseline_start') as date) as baseline_start,
        cast(max(value) filter (where key = 'baseline_end') as date) as baseline_end
    from cfg_param
),

facts as (
    select
        case when r.is_pilot then '试点单位' else '非试点单位' end as unit_group,
        case
            when f.month >= p.baseline_start and f.month < p.baseline_end then '试点前'
            when f.month >= p.pilot_start and f.month < p.pilot_end then '试点期间'
        end as phase,
        f.*
    from int_monthly_facts as f
    inner join dim_region as r on r.region_name = f.region_name
    cross join params as p
),

sums as (
    select unit_group, phase,
        sum(satisfied) / nullif(sum(callbacks), 0) as satisfaction_rate,
        sum(closed_on_time) / nullif(sum(due), 0) as on_time_rate,
        sum(returned) / nullif(sum(dispatched), 0) as return_rate
    from facts
    where phase is not null
    group by all
),

long as (
    select unit_group, phase, x.indicator, x.value
    from sums
    cross join unnest([
        {'indicator': '回访满意率', 'value': satisfaction_rate},
        {'indicator': '按期办结率', 'value': on_time_rate},
        {'indicator': '退单率', 'value': return_rate}
    ]) as t(x)
),

wide as (
    select
        indicator,
        max(value) filter (where unit_group = '试点单位' and phase = '试点前') as pilot_before,
        max(value) filter (where unit_group = '试点单位' and phase = '试点期间') as pilot_during,
        max(value) filter (where unit_group = '非试点单位' and phase = '试点前') as others_before,
        max(value) filter (where unit_group = '非试点单位' and phase = '试点期间') as others_during
    from long
    group by all
)

select
    indicator as indicator_name,
    round(pilot_before, 4) as pilot_before,
    round(pilot_during, 4) as pilot_during,
    round(others_before, 4) as others_before,
    round(others_during, 4) as others_during,
    round((pilot_during - pilot_before) - (others_during - others_before), 4) as did,
    case indicator when '回访满意率' then 1 when '按期办结率' then 2 else 3 end as sort_order
from wide
