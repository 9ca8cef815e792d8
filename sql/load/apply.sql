-- Writes the classified rows of one file. Parameter $1: the load id. Runs inside the load's
-- transaction, after classify.sql.

insert into lake_pending
select distinct 'appeals', year(m), month(m)
from (
    select accepted_at as m from stg_actions where action in ('insert', 'update')
    union all
    select existing_accepted_at from stg_actions where action = 'update'
);

delete from appeals
where ticket_id in (select ticket_id from stg_actions where action = 'update');

insert into appeals
select
    r.ticket_id, r.channel, r.accepted_at, r.appeal_type, r.title, r.content, r.caller_hash,
    r.phone_hash, r.region_code, r.region_name, r.street, r.address, r.category,
    r.category_l1, r.category_l2, r.category_l3, r.is_enforcement, r.enforcement_field,
    r.is_dispute, r.department, r.co_departments, r.dispatched_at, r.signed_at, r.due_at,
    r.closed_at, r.status, r.extensions, r.returns, r.returned_by, r.resolved,
    r.callback_at, r.satisfaction, r.satisfaction_raw, r.reopened, r.supervised,
    r.updated_at, a.state_at, a.state_hash,
    cast($1 as integer) as load_id,
    cast(r.source_row as integer) as source_row
from stg_rows as r
inner join stg_actions as a on a.source_row = r.source_row
where a.action in ('insert', 'update');
