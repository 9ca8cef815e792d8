-- Of the enforcement-related appeals accepted in [$1, $2) in region $3 ('' for the city): how
-- many there are, and how many the learned classifier decided.
select
    count(*) as appeals,
    count(*) filter (where enforcement_source = 'model') as decided
from fct_enforcement_appeals
where accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
    and ($3 = '' or region_name = $3)
