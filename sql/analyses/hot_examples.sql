-- Representative appeals of the hot categories: per category the most recent ones of the
-- period [$1, $2) (their text was masked at load). $3 is the list of categories.

select 诉求分类, 工单编号, 受理时间, 区县, 诉求内容
from (
    select
        f.category as 诉求分类, f.ticket_id as 工单编号, f.accepted_at as 受理时间,
        f.region_name as 区县, a.content as 诉求内容,
        row_number() over (partition by f.category order by f.accepted_at desc, f.ticket_id) as n
    from fct_enforcement_appeals as f
    inner join appeals as a on a.ticket_id = f.ticket_id
    where f.accepted_at >= cast($1 as date) and f.accepted_at < cast($2 as date)
        and a.accepted_at >= cast($1 as date) and a.accepted_at < cast($2 as date)
        and list_contains($3, f.category)
        and (coalesce(getvariable('rexian_region'), '') = '' or f.region_name = getvariable('rexian_region'))
)
where n <= (select cast(value as integer) from cfg_param where key = 'examples')
order by list_position($3, 诉求分类), 受理时间 desc, 工单编号
