-- The months each period of dim_period reads, one row per (period, month): the analyses'
-- marts join an appeal's accepted_month to it. An equality join lets DuckDB pass the months
-- of the period asked for down to the scan of the appeals, so that a view read with
-- `period_key = ?` reads that period's row groups only, as a date range would.
--   in_period      the month lies in the period;
--   in_prev        it lies in the period before, as long as the period itself (热点问题's 上期);
--   months_before  how many months before the period's first month it lies (0 inside the
--                  period): 预警 compares each month with the [analysis] warning_months
--                  months before it;
--   in_trend       it is one of the twelve months up to the period's last month (the
--                  reports' trend charts).

with periods as (
    select
        period_key,
        start_date,
        end_date,
        cast(datediff('month', start_date, end_date) as integer) as months
    from dim_period
),

lookback as (
    select cast(value as integer) as months from cfg_param where key = 'warning_months'
),

months as (
    select
        p.period_key,
        p.start_date,
        p.end_date,
        p.months,
        cast(unnest(generate_series(
            least(p.start_date - to_months(greatest(p.months, l.months)),
                p.end_date - interval 12 month),
            p.end_date - interval 1 month,
            interval 1 month)) as date) as month
    from periods as p
    cross join lookback as l
)

select
    period_key,
    month,
    month >= start_date as in_period,
    month < start_date and month >= start_date - to_months(months) as in_prev,
    cast(greatest(datediff('month', month, start_date), 0) as integer) as months_before,
    month >= end_date - interval 12 month as in_trend
from months
order by period_key, month
