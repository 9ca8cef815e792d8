-- 监督重点: per period and region_scope ('' for the whole city), where the complaints (投诉,
-- 举报) point — by field, by behaviour word in the text (rexian.toml [analysis] behaviours)
-- and by department — the [analysis] top of each.
-- Read with `where period_key = ? and region_scope = ?`; a view (see dim_period_month). The
-- complaints come from int_appeal_texts alone, so that the period's months reach its scan.
-- materialized: view

with complaints as (
    select
        pm.period_key, t.region_name, t.field_name, t.department,
        coalesce(t.title, '') || '。' || coalesce(t.content, '') as text
    from int_appeal_texts as t
    inner join dim_period_month as pm on pm.month = t.accepted_month and pm.in_period
    where t.appeal_type in ('投诉', '举报')
),

top_n as (
    select cast(value as integer) as n from cfg_param where key = 'top'
),

fields as (
    select
        period_key,
        case when grouping(region_name) = 1 then '' else region_name end as region_scope,
        1 as dimension_order, '执法领域' as dimension, field_name as item, count(*) as complaints
    from complaints
    group by grouping sets ((period_key, field_name), (period_key, region_name, field_name))
),

behaviours as (
    select
        c.period_key,
        case when grouping(c.region_name) = 1 then '' else c.region_name end as region_scope,
        2 as dimension_order, '执法行为' as dimension, w.word as item, count(*) as complaints
    from complaints as c
    inner join cfg_word as w
        on w.list = 'behaviour'
        and contains(c.text, w.word)
    group by grouping sets ((c.period_key, w.word), (c.period_key, c.region_name, w.word))
),

departments as (
    select
        period_key,
        case when grouping(region_name) = 1 then '' else region_name end as region_scope,
        3 as dimension_order, '执法部门' as dimension, department as item, count(*) as complaints
    from complaints
    where department is not null
    group by grouping sets ((period_key, department), (period_key, region_name, department))
),

ranked as (
    select
        *,
        row_number() over (
            partition by period_key, region_scope, dimension_order order by complaints desc, item
        ) as rank
    from (select * from fields union all select * from behaviours union all select * from departments)
)

select period_key, region_scope, dimension_order, dimension, rank, item, complaints
from ranked
where rank <= (select n from top_n)
