-- Whether the warehouse has the table $1.
select count(*)
from duckdb_tables()
where table_name = $1 and database_name = current_database()
