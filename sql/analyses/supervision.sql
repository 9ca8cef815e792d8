-- 重点督办: the 重大 and 屡次不改 appeals of [$1, $2) with their state and the office's
-- decisions (supervision_decisions, recorded with `rexian decide`).

with graded as (
    select * from ({{grade}})
)

select
    g.工单编号, g.受理时间, g.区县, g.承办单位, g.诉求分类,
    case when g.分级 = '重大' and g.屡次不改 then '重大、屡次不改'
         when g.分级 = '重大' then '重大' else '屡次不改' end as 督办类型,
    g.触发规则, g.触发语句, g.前次工单, g.办理状态, g.超期未办结, g.建议措施,
    d.decision as 督办决定, d.decided_at as 决定时间
from graded as g
left join (
    select ticket_id, arg_max(decision, decided_at) as decision, max(decided_at) as decided_at
    from supervision_decisions group by all
) as d on d.ticket_id = g.工单编号
where g.分级 = '重大' or g.屡次不改
order by g.分级 <> '重大', g.受理时间, g.工单编号
