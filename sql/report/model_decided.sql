-- The learned classifier in a period's figures: the version of the model whose scores they
-- use ('' for none), and of the enforcement-related appeals accepted in [$1, $2) in region $3
-- ('' for the city), how many it decided.
select
    coalesce((select value from cfg_param where key = 'model_version'), '') as model_version,
    count(*) as appeals,
    count(*) filter (where enforcement_source = 'model') as decided
from fct_enforcement_appeals
where accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
    and ($3 = '' or region_name = $3)
