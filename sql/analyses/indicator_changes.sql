-- Every indicator of one unit kind $2 in period $1 in long form, with numerator, denominator
-- and the values a period before (环比) and a year before (同比). $3 limits to one region.

select
    unit_key as 单位, region_name as 区县, indicator_name as 指标,
    numerator as 分子, denominator as 分母, value as 本期值,
    value_prev as 上期值, change_prev as 环比变化, value_yoy as 去年同期值, change_yoy as 同比变化,
    unit as 单位类型
from mart_indicator_values
where period_key = $1 and unit_kind = $2
    and ($3 = '' or region_name = $3 or unit_kind = 'field')
order by unit_key, sort_order
