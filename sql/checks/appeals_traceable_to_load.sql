-- Every appeal row names the load that wrote it, and that load is in the ledger.
select a.ticket_id, a.load_id
from appeals as a
left join load_ledger as l on l.load_id = a.load_id
where l.load_id is null
