-- Whether the marts have this version's shape: every model of this build ($1, their names)
-- exists, and the units are unit_kind/unit_key (before, dim_kind/dim_key). A warehouse built
-- by an older rexian needs one `rexian refresh`.
select
    (select count(*) from information_schema.columns
        where table_name = 'mart_scores' and column_name = 'unit_kind') > 0
    and (select count(distinct table_name) from information_schema.tables
        where list_contains($1, table_name)) = len($1)
