-- Writes the classified rows of one file. Parameter $1: the load id. Runs inside the load's
-- transaction, after classify.sql.

insert into lake_pending
select distinct 'appeals', year(m), month(m)
from (
    select accepted_at as m from stg_appeals where action in ('insert', 'update')
    union all
    select existing_accepted_at from stg_appeals where action = 'update'
);

delete from appeals
where ticket_id in (select ticket_id from stg_appeals where action = 'update');

insert into appeals
select
    ticket_id, channel, accepted_at, appeal_type, title, content, caller_hash, phone_hash,
    region_code, region_name, street, address, category, category_l1, category_l2,
    category_l3, is_enforcement, enforcement_field, is_dispute, department, co_departments,
    dispatched_at, signed_at, due_at, closed_at, status, extensions, returns, returned_by,
    resolved, callback_at, satisfaction, satisfaction_raw, reopened, supervised, updated_at,
    state_at, state_hash,
    cast($1 as integer) as load_id,
    cast(source_row as integer) as source_row
from stg_appeals
where action in ('insert', 'update')
order by accepted_at, ticket_id;
