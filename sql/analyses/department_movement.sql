-- 排名变动 of period $1 in region $2 ('' for the city): see mart_department_movement.
select rank_now, unit_key, rank_prev, rank_change, score, score_change, band
from mart_department_movement
where period_key = $1 and ($2 = '' or region_name = $2)
order by rank_now, unit_key
