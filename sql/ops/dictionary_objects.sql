-- The warehouse's own tables and views, each with its kind (TABLE or VIEW, as `comment on`
-- names them) and its comment, by name: what the data dictionary describes.
select table_name as name, 'TABLE' as kind, coalesce(comment, '') as comment
from duckdb_tables()
where not internal and not temporary and database_name = current_database()
union all
select view_name, 'VIEW', coalesce(comment, '')
from duckdb_views()
where not internal and not temporary and database_name = current_database()
order by 1
