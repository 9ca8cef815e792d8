-- 会商研判: categories of [$1, $2) whose appeals were returned (退单), with who returned them
-- and who finally closed them — the candidate lead department (牵头单位) is the one that
-- closed most of them.

with period_appeals as (
    select * from fct_enforcement_appeals
    where accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
        and (coalesce(getvariable('rexian_region'), '') = '' or region_name = getvariable('rexian_region'))
),

by_category as (
    select
        category, region_name,
        count(*) as orders,
        count(*) filter (where returns >= 1) as returned,
        sum(returns) as returns
    from period_appeals
    group by all
    having count(*) filter (where returns >= 1) > 0
),

returners as (
    select category, region_name, string_agg(format('{}({})', dep, n), '、' order by n desc, dep)
        as returned_by
    from (
        select category, region_name, dep, count(*) as n
        from (
            select category, region_name,
                trim(unnest(string_split(returned_by, '、'))) as dep
            from period_appeals
            where returns >= 1 and returned_by is not null
        )
        where dep <> ''
        group by all
    )
    group by all
),

closers as (
    select category, region_name,
        string_agg(format('{}({})', department, n), '、' order by n desc, department) as closed_by,
        first(department order by n desc, department) as lead_candidate
    from (
        select category, region_name, department, count(*) as n
        from period_appeals
        where returns >= 1 and closed_at is not null
        group by all
    )
    group by all
)

select
    c.category as 诉求分类,
    c.region_name as 区县,
    c.orders as 件数,
    c.returned as 退单件数,
    round(c.returned / c.orders, 4) as 退单率,
    c.returns as 退单次数,
    r.returned_by as 退单单位,
    cl.closed_by as 最终办结单位,
    cl.lead_candidate as 建议牵头单位
from by_category as c
left join returners as r using (category, region_name)
left join closers as cl using (category, region_name)
order by c.returned desc, c.returns desc, c.category, c.region_name
