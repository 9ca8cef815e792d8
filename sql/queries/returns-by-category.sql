-- 各诉求分类的退单情况 (returns by category over a period of months)
-- params: from (first month, e.g. 2024-01), to (last month, e.g. 2024-03)
select
    category as 诉求分类,
    count(*) as 诉求量,
    count(*) filter (where returns >= 1) as 退单件数,
    sum(returns) as 退单次数,
    round(count(*) filter (where returns >= 1) / count(*), 4) as 退单率
from fct_enforcement_appeals
where strftime(accepted_at, '%Y-%m') between {{from}} and {{to}}
group by all
having count(*) filter (where returns >= 1) > 0
order by 退单件数 desc, 诉求分类
