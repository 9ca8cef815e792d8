-- The columns of the warehouse's tables and views, in their order, with type and comment.
select table_name, column_name, data_type, coalesce(comment, '') as comment
from duckdb_columns()
where not internal and database_name = current_database()
order by table_name, column_index
