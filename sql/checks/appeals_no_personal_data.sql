-- No mobile number or 18-digit ID number in the free text: masking happens at load.
with texts as (
    select ticket_id, 'title' as column_name, title as value from appeals
    union all
    select ticket_id, 'content', content from appeals
    union all
    select ticket_id, 'address', address from appeals
)

select ticket_id, column_name
from texts
where regexp_matches(value, '(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)')
   or regexp_matches(value, '(^|[^0-9])[1-9][0-9]{16}[0-9Xx]([^0-9]|$)')
