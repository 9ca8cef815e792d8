-- Every indicator of one unit kind $2 in period $1 in long form, with numerator, denominator
-- and the values a period before (环比) and a year before (同比). $3 limits to one region.

select
    unit_key, region_name, indicator_name, numerator, denominator, value, value_prev,
    change_prev, value_yoy, change_yoy, unit
from mart_indicator_values
where period_key = $1 and unit_kind = $2
    and ($3 = '' or region_name = $3 or unit_kind = 'field')
order by unit_key, sort_order
