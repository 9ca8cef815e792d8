-- The reports' trend charts: per period and unit, 诉求量, 按期办结率 and 回访满意率 of each of
-- the twelve months up to the period's last month (dim_period_month.in_trend), month by month.
-- Read with `where period_key = ? and unit_kind = ? and unit_key = ?`; a view, since the
-- months' values are already in mart_indicator_values.
-- materialized: view

select
    pm.period_key,
    v.unit_kind,
    v.unit_key,
    pm.month,
    strftime(pm.month, '%y.%m') as month_label,
    max(v.value) filter (where v.indicator = 'volume') as volume,
    max(v.value) filter (where v.indicator = 'on_time_rate') as on_time_rate,
    max(v.value) filter (where v.indicator = 'satisfaction_rate') as satisfaction_rate
from mart_indicator_values as v
inner join dim_period_month as pm on pm.month = v.start_date and pm.in_trend
where v.period_kind = 'month'
group by pm.period_key, v.unit_kind, v.unit_key, pm.month
