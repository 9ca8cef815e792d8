-- How many enforcement-related appeals closed in each month took each whole number of
-- working days: a histogram from which the median of any period is exact.

select
    cast(date_trunc('month', closed_at) as date) as month,
    region_name, department, field_name,
    handling_workdays,
    count(*) as appeals
from fct_enforcement_appeals
where closed_at is not null and handling_workdays is not null
group by all
order by all
