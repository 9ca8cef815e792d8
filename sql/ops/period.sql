-- One reporting period by its key ($1), for `Period::find`. Dates as text (YYYY-MM-DD): the
-- duckdb crate is built without chrono.
select period_label, cast(start_date as varchar), cast(end_date as varchar), prev_key, yoy_key
from dim_period
where period_key = $1
