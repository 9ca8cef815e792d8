-- The monthly trend of one unit (全市, or a region) for the reports' charts: 诉求量,
-- 按期办结率 and 回访满意率 of each month from $3 up to (not including) $4, for the unit of
-- kind $1 and key $2.
select
    strftime(start_date, '%y.%m') as month,
    max(value) filter (where indicator = 'volume') as volume,
    max(value) filter (where indicator = 'on_time_rate') as on_time_rate,
    max(value) filter (where indicator = 'satisfaction_rate') as satisfaction_rate
from mart_indicator_values
where period_kind = 'month'
  and unit_kind = $1
  and unit_key = $2
  and start_date >= cast($3 as date)
  and start_date < cast($4 as date)
group by start_date
order by start_date
