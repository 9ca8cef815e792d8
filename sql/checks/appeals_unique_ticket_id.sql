-- 工单编号 is unique in appeals: the newest state replaces the old one, never sits beside it.
-- A duplicate involves a row written after the last passing run, so `rexian refresh` (and
-- each load) looks only at the ticket ids those rows carry; `rexian check` at all of them.
select ticket_id, count(*) as copies
from appeals
where {{checked_through_load}} = 0
    or ticket_id in (select ticket_id from appeals where load_id > {{checked_through_load}})
group by ticket_id
having count(*) > 1
