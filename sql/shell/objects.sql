-- The tables and views an analyst sees in the shell, with their comments (.tables, completion).
select database_name as catalog, schema_name as schema, table_name as name, 'table' as kind,
    coalesce(comment, '') as comment
from duckdb_tables()
where not internal and database_name in ('warehouse', 'lake') and not temporary
union all
select database_name, schema_name, view_name, 'view', coalesce(comment, '')
from duckdb_views()
where not internal and database_name in ('warehouse', 'lake') and not temporary
order by catalog desc, name
