-- How many staged rows each action took.
select
    count(*) filter (where action = 'insert') as inserted,
    count(*) filter (where action = 'update') as updated,
    count(*) filter (where action in ('unchanged', 'stale', 'superseded')) as unchanged,
    count(*) filter (where action = 'stale') as stale,
    count(*) filter (where action = 'superseded') as superseded,
    count(*) filter (where action = 'conflict') as conflicts
from stg_actions
