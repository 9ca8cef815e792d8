-- What the refresh made of each labelled appeal: enforcement-related (a row here) or not,
-- its field's code (or name when it has none) and how its scope was decided.
select a.ticket_id, coalesce(f.field_code, a.field_name), a.enforcement_source
from fct_enforcement_appeals as a
left join dim_field as f on f.field_name = a.field_name
