-- 热点问题: the categories with most enforcement-related appeals in [$1, $2), with the count
-- of the period before [$3, $1) and the growth.

with now_ as (
    select category, count(*) as orders
    from fct_enforcement_appeals
    where accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
        and (coalesce(getvariable('rexian_region'), '') = '' or region_name = getvariable('rexian_region'))
    group by all
),

before as (
    select category, count(*) as orders
    from fct_enforcement_appeals
    where accepted_at >= cast($3 as date) and accepted_at < cast($1 as date)
        and (coalesce(getvariable('rexian_region'), '') = '' or region_name = getvariable('rexian_region'))
    group by all
)

select
    row_number() over (order by n.orders desc, n.category) as 排名,
    n.category as 诉求分类,
    n.orders as 件数,
    round(n.orders / sum(n.orders) over (), 4) as 占比,
    coalesce(b.orders, 0) as 上期件数,
    case when b.orders > 0 then round(n.orders / b.orders - 1, 4) end as 环比增长
from now_ as n
left join before as b using (category)
order by n.orders desc, n.category
limit (select cast(value as integer) from cfg_param where key = 'top')
