-- 分级分类: every enforcement-related appeal, once per period it was accepted in, with one
-- grade, the rule that fired and a suggested action (rexian.toml [grading]). Rules, first
-- match wins:
--   重大            a major-incident word in the text that the sentence does not deny
--                   (fct_enforcement_appeals.major_hit), or crowd_callers different callers
--                   about the same address × category within crowd_window_days;
--   需协调争议解决  returned coordination_returns times or more, or by
--                   coordination_departments departments or more, or a jurisdiction dispute;
--   普遍性执法问题  its category × field is in mart_widespread for the period;
--   一般            the rest.
-- 屡次不改 (re-appealed within the window after a closing) is a flag beside the grade.
-- Read with `where period_key = ?` (and a region_name): see dim_period_month for why a view.
-- materialized: view

with params as (
    select
        cast(max(value) filter (where key = 'crowd_callers') as integer) as crowd_callers,
        cast(max(value) filter (where key = 'crowd_window_days') as integer) as crowd_days,
        cast(max(value) filter (where key = 'coordination_returns') as integer) as coord_returns,
        cast(max(value) filter (where key = 'coordination_departments') as integer) as coord_departments,
        max(value) filter (where key = 'rules_version') as rules_version
    from cfg_param
),

actions as (
    select * from cfg_action
),

period_appeals as (
    select pm.period_key, f.*
    from fct_enforcement_appeals as f
    inner join dim_period_month as pm on pm.month = f.accepted_month and pm.in_period
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
                then format('同类问题本期在{}个区县各{}件以上，共{}件', w.regions, w.appeals_per_region, w.appeals)
            else '未触发上述规则'
        end as rule_fired
    from period_appeals as t
    cross join params as p
    left join mart_widespread as w
        on w.period_key = t.period_key and w.category = t.category and w.field_name = t.field_name
)

select
    g.period_key,
    g.ticket_id,
    g.accepted_at,
    g.region_name,
    g.department,
    g.category,
    g.field_name,
    g.grade,
    case g.grade when '重大' then 1 when '需协调争议解决' then 2 when '普遍性执法问题' then 3 else 4 end
        as grade_order,
    g.rule_fired,
    -- The sentence that made it 重大 by text, so that a reader can check the grade.
    case when g.grade = '重大' and g.major_keyword is not null then g.major_sentence end
        as trigger_sentence,
    case
        when g.grade <> '一般' then (select action from actions where key = g.grade)
        when g.is_recurrence then (select action from actions where key = 'recurrence')
        when g.is_overdue_open or not coalesce(g.is_closed_on_time, true)
            or g.satisfaction = '不满意' or g.resolved = '未解决'
            then (select action from actions where key = 'general_reminder')
        else (select action from actions where key = 'general_routine')
    end as action,
    g.is_recurrence,
    g.recurrence_of,
    g.status,
    g.is_overdue_open,
    g.title,
    (select rules_version from params) as rules_version
from graded as g
