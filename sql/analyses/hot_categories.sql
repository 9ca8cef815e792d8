-- 热点问题 of period $1 in region $2 ('' for the city): see mart_hot_categories.
select rank, category, appeals, share, appeals_prev, growth
from mart_hot_categories
where period_key = $1 and region_scope = $2
order by rank
