-- The pilot summary's chart: 回访满意率 of the pilot units and of the other regions, month by
-- month from the baseline's start to the pilot's end (rexian.toml [pilot]), the pooled rate
-- of each group (satisfied callbacks over valid callbacks).
-- materialized: view

with params as (
    select
        cast(max(value) filter (where key = 'baseline_start') as date) as first_day,
        cast(max(value) filter (where key = 'pilot_end') as date) as end_day
    from cfg_param
)

select
    v.start_date as month,
    strftime(v.start_date, '%y.%m') as month_label,
    sum(v.numerator) filter (where r.is_pilot)
        / nullif(sum(v.denominator) filter (where r.is_pilot), 0) as pilot,
    sum(v.numerator) filter (where not r.is_pilot)
        / nullif(sum(v.denominator) filter (where not r.is_pilot), 0) as others
from mart_indicator_values as v
inner join dim_region as r on r.region_name = v.unit_key
cross join params as p
where v.period_kind = 'month'
  and v.unit_kind = 'region'
  and v.indicator = 'satisfaction_rate'
  and v.start_date >= p.first_day
  and v.start_date < p.end_day
group by v.start_date
