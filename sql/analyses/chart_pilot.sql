-- The pilot summary's chart: see mart_pilot_trend.
select month_label, pilot, others
from mart_pilot_trend
order by month
