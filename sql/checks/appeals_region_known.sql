-- Every appeal's region is one of the reference regions.
select a.ticket_id, a.region_code, a.region_name
from appeals as a
left join dim_region as r on r.region_code = a.region_code
where r.region_code is null
