-- The enforcement-related appeals $1 (a list of 工单编号) a case is opened from, with the key
-- of the month each was accepted in (its grade is read for that month).
select
    ticket_id, region_name, field_name, department, category,
    strftime(accepted_month, '%Y-%m') as month_key
from fct_enforcement_appeals
where list_contains($1, ticket_id)
