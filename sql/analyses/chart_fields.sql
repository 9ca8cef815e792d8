-- 诉求量 of each enforcement field in a period (city-wide), largest first, for the chart of
-- shares by field.
select unit_key as field, value as volume
from mart_indicator_values
where period_key = $1
  and unit_kind = 'field'
  and indicator = 'volume'
  and value > 0
order by value desc, unit_key
