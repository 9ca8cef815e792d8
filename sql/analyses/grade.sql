-- 分级分类: every enforcement-related appeal accepted in the period [$1, $2) gets one grade,
-- the rule that fired and a suggested action (rexian.toml [grading]). Rules, first match wins:
--   重大            a major-incident word in the text that the sentence does not deny
--                   (fct_enforcement_appeals.major_hit), or crowd_callers different callers
--                   about the same address × category within crowd_window_days;
--   需协调争议解决  returned coordination_returns times or more, or by
--                   coordination_departments departments or more, or a jurisdiction dispute;
--   普遍性执法问题  its category × field reached widespread_regions regions with at least
--                   widespread_orders_per_region orders each in the period;
--   一般            the rest.
-- 屡次不改 (re-appealed within the window after a closing) is a flag beside the grade.

with params as (
    select
        cast(max(value) filter (where key = 'crowd_callers') as integer) as crowd_callers,
        cast(max(value) filter (where key = 'crowd_window_days') as integer) as crowd_days,
        cast(max(value) filter (where key = 'coordination_returns') as integer) as coord_returns,
        cast(max(value) filter (where key = 'coordination_departments') as integer) as coord_departments,
        cast(max(value) filter (where key = 'widespread_regions') as integer) as wide_regions,
        cast(max(value) filter (where key = 'widespread_orders_per_region') as integer) as wide_per_region,
        max(value) filter (where key = 'rules_version') as rules_version
    from cfg_param
),

actions as (
    select * from cfg_action
),

period_appeals as (
    select * from fct_enforcement_appeals
    where accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
),

widespread as (
    select category, field_name, sum(orders) as orders, count(*) as regions
    from (
        select category, field_name, region_name, count(*) as orders
        from period_appeals
        group by all
        having count(*) >= (select wide_per_region from params)
    )
    group by all
    having count(*) >= (select wide_regions from params)
),

graded as (
    select
        t.*,
        case
            when t.major_keyword is not null
                or t.crowd_callers >= p.crowd_callers then '重大'
            when t.returns >= p.coord_returns
                or t.returned_departments >= p.coord_departments
                or coalesce(t.is_dispute, false) then '需协调争议解决'
            when w.category is not null then '普遍性执法问题'
            else '一般'
        end as grade,
        case
            when t.major_keyword is not null then format('文本含“{}”', t.major_keyword)
            when t.crowd_callers >= p.crowd_callers
                then format('{}日内{}位来电人反映同一地址同类问题', p.crowd_days, t.crowd_callers)
            when t.returns >= p.coord_returns then format('退单{}次', t.returns)
            when t.returned_departments >= p.coord_departments
                then format('{}个单位退单', t.returned_departments)
            when coalesce(t.is_dispute, false) then '平台标记管辖争议'
            when w.category is not null
                then format('同类问题本期在{}个区县各{}件以上，共{}件', w.regions, (select wide_per_region from params), w.orders)
            else '未触发上述规则'
        end as rule_fired
    from period_appeals as t
    cross join params as p
    left join widespread as w on w.category = t.category and w.field_name = t.field_name
)

select
    g.ticket_id as 工单编号,
    g.accepted_at as 受理时间,
    g.region_name as 区县,
    g.department as 承办单位,
    g.category as 诉求分类,
    g.field_name as 执法领域,
    g.grade as 分级,
    g.rule_fired as 触发规则,
    -- The sentence that made it 重大 by text, so that a reader can check the grade.
    case when g.grade = '重大' and g.major_keyword is not null then g.major_sentence end
        as 触发语句,
    case
        when g.grade <> '一般' then (select action from actions where key = g.grade)
        when g.is_recurrence then (select action from actions where key = 'recurrence')
        when g.is_overdue_open or not coalesce(g.is_closed_on_time, true)
            or g.satisfaction = '不满意' or g.resolved = '未解决'
            then (select action from actions where key = 'general_reminder')
        else (select action from actions where key = 'general_routine')
    end as 建议措施,
    g.is_recurrence as 屡次不改,
    g.recurrence_of as 前次工单,
    g.status as 办理状态,
    g.is_overdue_open as 超期未办结,
    g.title as 诉求标题,
    (select rules_version from params) as 规则版本
from graded as g
-- A region's report lists its own appeals; the widespread rule above still looks at the city.
where (coalesce(getvariable('rexian_region'), '') = '' or g.region_name = getvariable('rexian_region'))
order by
    case g.grade when '重大' then 1 when '需协调争议解决' then 2 when '普遍性执法问题' then 3 else 4 end,
    g.accepted_at, g.ticket_id
