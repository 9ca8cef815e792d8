-- 典型诉求 of period $1 in region $2 ('' for the city): see mart_hot_examples.
select category, ticket_id, accepted_at, region_name, content
from mart_hot_examples
where period_key = $1 and region_scope = $2
order by category_rank, accepted_at desc, ticket_id
