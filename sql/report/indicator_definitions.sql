-- The indicators' names, the short names the tables print and their formulas (the appendix).
select indicator_name, short_name, formula
from stg_indicator
order by sort_order
