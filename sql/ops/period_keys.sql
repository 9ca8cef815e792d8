-- Every period the warehouse has, for the message that lists them when one is missing.
select period_kind, period_key
from dim_period
order by period_kind, start_date
