-- 监督重点 of period $1 in region $2 ('' for the city): see mart_focus.
select dimension, rank, item, complaints
from mart_focus
where period_key = $1 and region_scope = $2
order by dimension_order, rank
