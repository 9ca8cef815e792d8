-- 某月投诉举报最多的执法部门 (the departments with most complaints in a month)
-- params: period (a month, e.g. 2024-03)
select
    department as 承办单位,
    region_name as 区县,
    count(*) as 诉求量,
    count(*) filter (where appeal_type in ('投诉', '举报')) as 投诉举报,
    round(avg(case when satisfaction in ('满意', '基本满意') then 1.0
                   when satisfaction = '不满意' then 0.0 end), 4) as 回访满意率
from fct_enforcement_appeals
where strftime(accepted_at, '%Y-%m') = {{period}}
group by all
order by 投诉举报 desc, 诉求量 desc, 承办单位
limit 20
