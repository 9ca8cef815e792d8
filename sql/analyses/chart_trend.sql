-- The trend charts of period $1 for the city ($2 = '') or a region: see mart_trend.
select month_label, volume, on_time_rate, satisfaction_rate
from mart_trend
where period_key = $1
    and unit_kind = case when $2 = '' then 'city' else 'region' end
    and unit_key = case when $2 = '' then '全市' else $2 end
order by month
