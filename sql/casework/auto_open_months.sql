-- The months whose items [casework] auto_open may open cases for: those with data whose last
-- day is on or after $1 (auto_open_from), oldest first.
select period_key
from dim_period
where period_kind = 'month' and end_date > cast($1 as date)
order by start_date
