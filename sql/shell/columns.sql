-- The columns of the tables and views an analyst sees, with their comments (.schema,
-- .describe, completion).
select database_name as catalog, table_name as name, column_name, data_type,
    coalesce(comment, '') as comment, column_index
from duckdb_columns()
where not internal and database_name in ('warehouse', 'lake')
order by catalog desc, name, column_index
