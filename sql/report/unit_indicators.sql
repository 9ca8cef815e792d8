-- The indicators of one unit in a period, with 环比 and 同比, for a report's 总体情况:
-- $1 period_key, $2 the unit's kind (city or region), $3 its key (全市 or the region's name).
select indicator, indicator_name, unit, value, value_prev, change_prev, value_yoy, change_yoy
from mart_indicator_values
where period_key = $1 and unit_kind = $2 and unit_key = $3
order by sort_order
