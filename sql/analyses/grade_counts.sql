-- 分级分类 counts of the period [$1, $2) for the reports: appeals per grade and suggested
-- action, and how many of them are 屡次不改.

with graded as (
    select * from ({{grade}})
)

select 分级, 建议措施, 件数, 其中屡次不改
from (
    select
        分级,
        建议措施,
        count(*) as 件数,
        count(*) filter (where 屡次不改) as 其中屡次不改,
        min(case 分级 when '重大' then 1 when '需协调争议解决' then 2
            when '普遍性执法问题' then 3 else 4 end) as grade_order
    from graded
    group by 分级, 建议措施
)
order by grade_order, 件数 desc, 建议措施
