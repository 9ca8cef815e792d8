-- 试点成效: satisfaction, on-time closing and returns of the pilot units and the other units,
-- before (the baseline) and during the pilot (rexian.toml [pilot]), and the difference in
-- differences: (pilot during − pilot before) − (others during − others before). One row per
-- indicator, for the whole pilot (not per period), with pilot_unit ''; then the same for each
-- pilot unit alone against the other units (pilot_unit its name), so a reader sees whether the
-- effect is everyone's or one unit's.
-- With so few regions an effect must be told from noise, in two ways, both over regions (the
-- unit the pilot was given to):
--   did_low, did_high  the 95% interval of 1 000 bootstrap replicates, each drawing as many
--                      pilot units from the pilot units and as many others from the others,
--                      with replacement; the draws come from hash(replicate, slot), so the same
--                      data give the same interval;
--   did_p              the permutation test: the share of all ways of calling that many of the
--                      regions "pilot" (up to 20 regions) whose difference in differences is at
--                      least as large, either way, as the real one.
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
        r.is_pilot,
        case
            when f.month >= p.baseline_start and f.month < p.baseline_end then '试点前'
            when f.month >= p.pilot_start and f.month < p.pilot_end then '试点期间'
        end as phase,
        f.*
    from int_monthly_facts as f
    inner join dim_region as r on r.region_name = f.region_name
    cross join params as p
),

-- The additive counts of each region in each phase: every estimate below is a ratio of sums.
per_region as (
    select
        region_name, is_pilot, phase,
        sum(satisfied) as satisfied, sum(callbacks) as callbacks,
        sum(closed_on_time) as closed_on_time, sum(due) as due,
        sum(returned) as returned, sum(dispatched) as dispatched
    from facts
    where phase is not null
    group by all
),

regions as (
    select
        region_name,
        is_pilot,
        cast(row_number() over (order by region_name) - 1 as integer) as idx,
        cast(row_number() over (partition by is_pilot order by region_name) - 1 as integer) as group_idx,
        count(*) over (partition by is_pilot) as group_n,
        count(*) over () as all_n,
        sum(case when is_pilot then 1 else 0 end) over () as pilot_n
    from (select distinct region_name, is_pilot from per_region)
),

-- A labelling of the regions as pilot (true) or not: the real one (sample -1), each bootstrap
-- replicate's draws (0 … 999; a region drawn twice counts twice), each permutation (-2 - mask);
-- and for each pilot unit (pilot_unit) that unit against the others.
real as (
    select -1 as sample, '' as pilot_unit, region_name, is_pilot, 1 as weight from regions
),

slots as (
    select b.range as sample, g.is_pilot, g.group_n, unnest(range(g.group_n)) as slot
    from range(1000) as b
    cross join (select distinct is_pilot, group_n from regions) as g
),

draws as (
    select sample, is_pilot, cast(hash(sample, slot, is_pilot) % group_n as integer) as group_idx
    from slots
),

bootstrap as (
    select d.sample, '' as pilot_unit, r.region_name, r.is_pilot, count(*) as weight
    from draws as d
    inner join regions as r on r.is_pilot = d.is_pilot and r.group_idx = d.group_idx
    group by all
),

sizes as (
    select max(all_n) as all_n, max(pilot_n) as pilot_n from regions
),

candidates as (
    select unnest(range(cast(1 as bigint) << all_n)) as mask, pilot_n
    from sizes
    where all_n <= 20
),

masks as (
    select mask from candidates where bit_count(mask) = pilot_n
),

permutations as (
    select
        -2 - k.mask as sample, '' as pilot_unit, r.region_name,
        ((k.mask >> r.idx) & 1) = 1 as is_pilot, 1 as weight
    from masks as k
    cross join regions as r
),

units as (
    select -1 as sample, u.region_name as pilot_unit, r.region_name, r.is_pilot, 1 as weight
    from regions as u
    inner join regions as r on r.region_name = u.region_name or not r.is_pilot
    where u.is_pilot
),

labelled as (
    select * from real
    union all select * from bootstrap
    union all select * from permutations
    union all select * from units
),

sums as (
    select
        l.sample,
        l.pilot_unit,
        l.is_pilot,
        c.phase,
        sum(l.weight * c.satisfied) / nullif(sum(l.weight * c.callbacks), 0) as satisfaction_rate,
        sum(l.weight * c.closed_on_time) / nullif(sum(l.weight * c.due), 0) as on_time_rate,
        sum(l.weight * c.returned) / nullif(sum(l.weight * c.dispatched), 0) as return_rate
    from labelled as l
    inner join per_region as c using (region_name)
    group by all
),

long as (
    select sample, pilot_unit, is_pilot, phase, x.indicator, x.value
    from sums
    cross join unnest([
        {'indicator': '回访满意率', 'value': satisfaction_rate},
        {'indicator': '按期办结率', 'value': on_time_rate},
        {'indicator': '退单率', 'value': return_rate}
    ]) as t(x)
),

wide as (
    select
        sample,
        pilot_unit,
        indicator,
        max(value) filter (where is_pilot and phase = '试点前') as pilot_before,
        max(value) filter (where is_pilot and phase = '试点期间') as pilot_during,
        max(value) filter (where not is_pilot and phase = '试点前') as others_before,
        max(value) filter (where not is_pilot and phase = '试点期间') as others_during
    from long
    group by all
),

estimates as (
    select
        sample, pilot_unit, indicator, pilot_before, pilot_during, others_before, others_during,
        (pilot_during - pilot_before) - (others_during - others_before) as did
    from wide
),

observed as (
    select * from estimates where sample = -1
),

noise as (
    select
        e.indicator,
        quantile_cont(e.did, 0.025) filter (where e.sample >= 0) as did_low,
        quantile_cont(e.did, 0.975) filter (where e.sample >= 0) as did_high,
        count(*) filter (where e.sample <= -2 and abs(e.did) >= abs(o.did) - 1e-12)
            / nullif(count(*) filter (where e.sample <= -2 and e.did is not null), 0) as did_p
    from estimates as e
    inner join observed as o on o.indicator = e.indicator and o.pilot_unit = ''
    where e.pilot_unit = ''
    group by all
)

select
    o.pilot_unit,
    o.indicator as indicator_name,
    round(o.pilot_before, 4) as pilot_before,
    round(o.pilot_during, 4) as pilot_during,
    round(o.others_before, 4) as others_before,
    round(o.others_during, 4) as others_during,
    round(o.did, 4) as did,
    round(n.did_low, 4) as did_low,
    round(n.did_high, 4) as did_high,
    round(n.did_p, 4) as did_p,
    case o.indicator when '回访满意率' then 1 when '按期办结率' then 2 else 3 end as sort_order
from observed as o
left join noise as n on n.indicator = o.indicator and o.pilot_unit = ''
