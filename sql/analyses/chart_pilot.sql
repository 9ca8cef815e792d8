-- 回访满意率 of the pilot units and of the other regions, month by month from $1 up to (not
-- including) $2: the pooled rate of each group (satisfied callbacks over valid callbacks).
select
    strftime(v.start_date, '%y.%m') as month,
    sum(v.numerator) filter (where r.is_pilot)
        / nullif(sum(v.denominator) filter (where r.is_pilot), 0) as pilot,
    sum(v.numerator) filter (where not r.is_pilot)
        / nullif(sum(v.denominator) filter (where not r.is_pilot), 0) as others
from mart_indicator_values as v
inner join dim_region as r on r.region_name = v.unit_key
where v.period_kind = 'month'
  and v.unit_kind = 'region'
  and v.indicator = 'satisfaction_rate'
  and v.start_date >= cast($1 as date)
  and v.start_date < cast($2 as date)
group by v.start_date
order by v.start_date
