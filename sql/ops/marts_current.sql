-- Whether the marts have this version's shape: built since their units became
-- unit_kind/unit_key (before, dim_kind/dim_key). An older build needs one `rexian refresh`.
select count(*) > 0
from information_schema.columns
where table_name = 'mart_scores' and column_name = 'unit_kind'
