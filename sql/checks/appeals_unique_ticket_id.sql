-- 工单编号 is unique in appeals: the newest state replaces the old one, never sits beside it.
select ticket_id, count(*) as copies
from appeals
group by ticket_id
having count(*) > 1
