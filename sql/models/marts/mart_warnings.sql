-- 预警: per period, the category × region months of the period whose count is above the
-- mean + warning_sigma × σ of the warning_months months before that month, with at least
-- warning_min_orders appeals. Months without appeals count as zero.
-- Read with `where period_key = ?` (and a region_name); a view (see dim_period_month, whose
-- months_before reaches back far enough for the period's first month).
-- materialized: view

with params as (
    select
        cast(max(value) filter (where key = 'warning_months') as integer) as months,
        cast(max(value) filter (where key = 'warning_sigma') as double) as sigma,
        cast(max(value) filter (where key = 'warning_min_orders') as integer) as min_orders
    from cfg_param
),

monthly as not materialized (
    select pm.period_key, pm.month, pm.in_period, f.category, f.region_name, count(*) as appeals
    from fct_enforcement_appeals as f
    inner join dim_period_month as pm
        on pm.month = f.accepted_month and pm.months_before <= (select months from params)
    group by all
),

candidates as not materialized (
    select * from monthly
    where in_period and appeals >= (select min_orders from params)
),

-- The months before each candidate month, one row per offset: a join with a one-column
-- table rather than a lateral series, so that the period asked for still reaches the scans.
offsets as (
    select cast(unnest(generate_series(1, months)) as integer) as k from params
),

history as (
    select
        c.period_key, c.month, c.category, c.region_name,
        coalesce(m.appeals, 0) as appeals
    from candidates as c
    cross join offsets as o
    left join monthly as m
        on m.period_key = c.period_key and m.month = c.month - to_months(o.k)
        and m.category = c.category and m.region_name = c.region_name
),

-- σ from exact integer sums, sqrt(n·Σx² − (Σx)²) / n: stddev_pop's running sums of doubles
-- come out a few last bits apart as DuckDB's threads split the work, which reordered
-- warnings tied on their excess (and could flip one standing exactly on its threshold).
stats as (
    select
        period_key, month, category, region_name,
        avg(appeals) as mean,
        sqrt(cast(count(*) * sum(appeals * appeals) - sum(appeals) * sum(appeals) as double))
            / count(*) as sd
    from history
    group by all
)

select
    c.period_key,
    strftime(c.month, '%Y-%m') as month,
    c.category,
    c.region_name,
    c.appeals,
    round(s.mean, 2) as mean_before,
    round(s.sd, 2) as sd_before,
    round(s.mean + p.sigma * s.sd, 2) as threshold,
    c.appeals - (s.mean + p.sigma * s.sd) as excess
from candidates as c
inner join stats as s using (period_key, month, category, region_name)
cross join params as p
where c.appeals > s.mean + p.sigma * s.sd
