-- Settles the rows of one file. Parameter $1: the load id. Runs inside the load's transaction,
-- after classify.sql: the file's rows are all in `appeals` already, so what is left is to
-- remember the lake months they touch, drop the versions they replace, and drop the file's
-- own rows that lost (unchanged, stale, superseded, conflicting).

insert into lake_pending
select distinct 'appeals', year(m), month(m)
from (
    select accepted_at as m from stg_actions where action in ('insert', 'update')
    union all
    select existing_accepted_at from stg_actions where action = 'update'
);

-- By the row classify.sql matched, not by ticket: ticket ids are unique in `appeals` (checked
-- at every load), so the two name the same rows, and this way needs no second scan of every
-- ticket id.
delete from appeals
where rowid in (select existing_key from stg_actions where action = 'update');

delete from appeals
where load_id = cast($1 as integer)
  and rowid in (select row_key from stg_actions where action not in ('insert', 'update'));
