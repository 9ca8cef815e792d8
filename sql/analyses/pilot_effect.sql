-- 试点成效 (双重差分): see mart_pilot_effect. The pilot units together, with the bootstrap
-- interval and the permutation test's p.
select indicator_name, pilot_before, pilot_during, others_before, others_during, did,
    did_low, did_high, did_p
from mart_pilot_effect
where pilot_unit = ''
order by sort_order
