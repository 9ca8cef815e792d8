-- 某区县回访满意率的月度走势 (the monthly satisfaction of one region)
-- params: region (a region name, e.g. 兖州区)
select
    period_key as 月份,
    numerator as 满意件数,
    denominator as 有效回访,
    round(value, 4) as 回访满意率,
    round(change_prev, 4) as 环比变化
from mart_indicator_values
where period_kind = 'month' and unit_kind = 'region' and unit_key = {{region}}
    and indicator = 'satisfaction_rate'
order by period_key
