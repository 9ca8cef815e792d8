-- 试点成效 (双重差分): see mart_pilot_effect.
select indicator_name, pilot_before, pilot_during, others_before, others_during, did
from mart_pilot_effect
order by sort_order
