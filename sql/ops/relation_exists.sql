-- Whether the warehouse has a table or view named $1 (a kept table, or a model built by
-- `rexian refresh`).
select count(*)
from information_schema.tables
where table_name = $1 and table_catalog = current_database()
