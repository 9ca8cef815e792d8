-- The regions (区县) the enforcement-related appeals come from, for checking --county.
select distinct region_name from fct_enforcement_appeals where region_name is not null order by 1
