-- 试点成效 by pilot unit: each pilot unit alone against the other units (see
-- mart_pilot_effect), its difference in differences of each indicator, in the order of the
-- regions' codes.
select
    m.pilot_unit,
    max(m.did) filter (where m.indicator_name = '回访满意率') as did_satisfaction,
    max(m.did) filter (where m.indicator_name = '按期办结率') as did_on_time,
    max(m.did) filter (where m.indicator_name = '退单率') as did_return
from mart_pilot_effect as m
inner join dim_region as r on r.region_name = m.pilot_unit
where m.pilot_unit <> ''
group by m.pilot_unit, r.region_code
order by r.region_code
