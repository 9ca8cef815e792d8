-- 监督重点: where the complaints (投诉, 举报) of [$1, $2) point — by field, by behaviour word
-- in the text (rexian.toml [analysis] behaviours) and by department.

with complaints as (
    select f.*, t.text
    from fct_enforcement_appeals as f
    inner join int_appeal_texts as t on t.ticket_id = f.ticket_id
    where f.accepted_at >= cast($1 as date) and f.accepted_at < cast($2 as date)
        and t.accepted_at >= cast($1 as date) and t.accepted_at < cast($2 as date)
        and (coalesce(getvariable('rexian_region'), '') = '' or f.region_name = getvariable('rexian_region'))
        and f.appeal_type in ('投诉', '举报')
),

top_n as (
    select cast(value as integer) as n from cfg_param where key = 'top'
),

fields as (
    select '执法领域' as 维度, field_name as 名称, count(*) as 投诉举报件数
    from complaints group by all
),

behaviours as (
    select '执法行为' as 维度, w.word as 名称, count(*) as 投诉举报件数
    from complaints as c
    inner join cfg_word as w
        on w.list = 'behaviour'
        and contains(c.text, w.word)
    group by all
),

departments as (
    select '执法部门' as 维度, department as 名称, count(*) as 投诉举报件数
    from complaints where department is not null group by all
),

ranked as (
    select *, row_number() over (partition by 维度 order by 投诉举报件数 desc, 名称) as 排名
    from (select * from fields union all select * from behaviours union all select * from departments)
)

select 维度, 排名, 名称, 投诉举报件数
from ranked
where 排名 <= (select n from top_n)
order by case 维度 when '执法领域' then 1 when '执法行为' then 2 else 3 end, 排名
