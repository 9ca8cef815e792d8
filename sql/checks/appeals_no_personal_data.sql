-- No mobile number or 18-digit ID number in the free text: masking happens at load.
-- Reading every text is the slowest check (seconds on 10 M appeals), so `rexian refresh` reads
-- only the rows of loads after the last run that passed; `rexian check` reads them all.
with rows_ as (
    select * from appeals where load_id > {{checked_through_load}}
),

texts as (
    select ticket_id, 'title' as column_name, title as value from rows_
    union all
    select ticket_id, 'content', content from rows_
    union all
    select ticket_id, 'address', address from rows_
)

select ticket_id, column_name
from texts
-- One pattern for both (a mobile number, or an 18-digit ID number, standing alone): one pass
-- over the text instead of two.
where regexp_matches(value, '(^|[^0-9])(1[3-9][0-9]{9}|[1-9][0-9]{16}[0-9Xx])([^0-9]|$)')
