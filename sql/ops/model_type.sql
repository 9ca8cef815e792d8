-- What the warehouse holds under a model's name ($1): BASE TABLE, VIEW, or no row.
select table_type
from information_schema.tables
where table_schema = 'main' and table_name = $1
