-- 预警: category × region months in [$1, $2) whose count is above the mean + warning_sigma ×
-- σ of the warning_months months before, with at least warning_min_orders orders. Months
-- without appeals count as zero.

with params as (
    select
        cast(max(value) filter (where key = 'warning_months') as integer) as months,
        cast(max(value) filter (where key = 'warning_sigma') as double) as sigma,
        cast(max(value) filter (where key = 'warning_min_orders') as integer) as min_orders
    from cfg_param
),

monthly as (
    select cast(date_trunc('month', accepted_at) as date) as month, category, region_name,
        count(*) as orders
    from fct_enforcement_appeals
    where accepted_at >= cast($1 as date) - to_months((select months from params))
        and accepted_at < cast($2 as date)
        and (coalesce(getvariable('rexian_region'), '') = '' or region_name = getvariable('rexian_region'))
    group by all
),

candidates as (
    select * from monthly
    where month >= cast($1 as date) and month < cast($2 as date) and orders >= (select min_orders from params)
),

history as (
    select
        c.month, c.category, c.region_name,
        h.month as past_month,
        coalesce(m.orders, 0) as orders
    from candidates as c
    cross join lateral (
        select cast(unnest(generate_series(
            c.month - to_months((select months from params)),
            c.month - interval 1 month, interval 1 month)) as date) as month
    ) as h
    left join monthly as m
        on m.month = h.month and m.category = c.category and m.region_name = c.region_name
),

stats as (
    select month, category, region_name, avg(orders) as mean, stddev_pop(orders) as sd
    from history
    group by all
)

select
    strftime(c.month, '%Y-%m') as 月份,
    c.category as 诉求分类,
    c.region_name as 区县,
    c.orders as 件数,
    round(s.mean, 2) as 前期月均,
    round(s.sd, 2) as 标准差,
    round(s.mean + p.sigma * s.sd, 2) as 预警线
from candidates as c
inner join stats as s using (month, category, region_name)
cross join params as p
where c.orders > s.mean + p.sigma * s.sd
-- The region last: without it, regions tied on the rest came in any order from run to run.
order by c.month, c.orders - (s.mean + p.sigma * s.sd) desc, c.category, c.region_name
