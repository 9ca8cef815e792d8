-- Every reporting period the data touches: months, quarters, pilot years (11-01 to 10-31)
-- and calendar years, with the period before (环比) and the same period a year before (同比).
-- rolling: the [report] ranking_months months ending with each month (2023-04..2024-03), once
-- all of them have data. A monthly report ranks departments on it, because one month gives
-- most departments too few callbacks to be ranked ([scoring] min_callbacks).

with bounds as (
    select
        date_trunc('month', min(accepted_at)) as first_month,
        -- Deadlines count up to the newest extract's moment: an open appeal that fell due
        -- after its last event still makes its month a period (overdue at period end).
        date_trunc('month', greatest(
            max(accepted_at), max(closed_at), max(callback_at), max(dispatched_at),
            least(max(due_at), (select max(as_of) from load_ledger)))) as last_month
    from appeals
),

months as (
    select cast(unnest(generate_series(first_month, last_month, interval 1 month)) as date) as m
    from bounds
    where first_month is not null
),

periods as (
    select distinct
        'month' as period_kind,
        strftime(m, '%Y-%m') as period_key,
        strftime(m, '%Y年%m月') as period_label,
        m as start_date,
        cast(m + interval 1 month as date) as end_date,
        strftime(cast(m - interval 1 month as date), '%Y-%m') as prev_key,
        strftime(cast(m - interval 1 year as date), '%Y-%m') as yoy_key
    from months
    union all
    select distinct
        'quarter',
        format('{}Q{}', year(m), quarter(m)),
        format('{}年第{}季度', year(m), quarter(m)),
        cast(date_trunc('quarter', m) as date),
        cast(date_trunc('quarter', m) + interval 3 month as date),
        format('{}Q{}', year(m - interval 3 month), quarter(m - interval 3 month)),
        format('{}Q{}', year(m) - 1, quarter(m))
    from months
    union all
    select distinct
        'pilot_year',
        format('PY{}-{}', py - 1, right(cast(py as varchar), 2)),
        format('{}—{}试点年度', py - 1, py),
        make_date(py - 1, 11, 1),
        make_date(py, 11, 1),
        format('PY{}-{}', py - 2, right(cast(py - 1 as varchar), 2)),
        format('PY{}-{}', py - 2, right(cast(py - 1 as varchar), 2))
    from (select m, year(m) + case when month(m) >= 11 then 1 else 0 end as py from months)
    union all
    select distinct
        'year',
        cast(year(m) as varchar),
        format('{}年', year(m)),
        make_date(year(m), 1, 1),
        make_date(year(m) + 1, 1, 1),
        cast(year(m) - 1 as varchar),
        cast(year(m) - 1 as varchar)
    from months
    union all
    select
        'rolling',
        format('{}..{}', strftime(m - to_months(n - 1), '%Y-%m'), strftime(m, '%Y-%m')),
        case when year(m - to_months(n - 1)) = year(m)
            then strftime(m - to_months(n - 1), '%Y年%m月') || '至' || strftime(m, '%m月')
            else strftime(m - to_months(n - 1), '%Y年%m月') || '至' || strftime(m, '%Y年%m月')
        end,
        cast(m - to_months(n - 1) as date),
        cast(m + interval 1 month as date),
        format('{}..{}', strftime(m - to_months(2 * n - 1), '%Y-%m'),
            strftime(m - to_months(n), '%Y-%m')),
        format('{}..{}', strftime(m - to_months(n + 11), '%Y-%m'),
            strftime(m - interval 12 month, '%Y-%m'))
    from months, bounds,
        (select cast(value as integer) as n from cfg_param where key = 'ranking_months')
    where n > 1 and m - to_months(n - 1) >= first_month
)

select * from periods
order by period_kind, start_date
