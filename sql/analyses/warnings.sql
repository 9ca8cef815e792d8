-- 预警 of period $1 in region $2 ('' for the city): see mart_warnings.
select month, category, region_name, appeals, mean_before, sd_before, threshold
from mart_warnings
where period_key = $1 and ($2 = '' or region_name = $2)
-- The region last: without it, regions tied on the rest came in any order from run to run.
order by month, excess desc, category, region_name
