-- The months whose appeals the load inserts or updates: the lake partitions it owes.
select distinct strftime(accepted_at, '%Y-%m')
from stg_actions
where action in ('insert', 'update')
order by 1
