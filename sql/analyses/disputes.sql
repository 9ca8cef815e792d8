-- 会商研判 of period $1 in region $2 ('' for the city): see mart_disputes.
select
    category, region_name, appeals, returned, return_rate, returns, returned_by, closed_by,
    lead_candidate
from mart_disputes
where period_key = $1 and ($2 = '' or region_name = $2)
order by returned desc, returns desc, category, region_name
