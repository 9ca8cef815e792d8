-- Whether the marts have this version's shape: built since their units became
-- unit_kind/unit_key (before, dim_kind/dim_key), and since the grades became a mart
-- (mart_graded_appeals). An older build needs one `rexian refresh`.
select
    (select count(*) from information_schema.columns
        where table_name = 'mart_scores' and column_name = 'unit_kind') > 0
    and (select count(*) from information_schema.tables
        where table_name = 'mart_graded_appeals') > 0
