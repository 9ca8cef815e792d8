-- 分级分类 counts of period $1 in region $2 ('' for the city), for the reports: appeals per
-- grade and suggested action, and how many of them are 屡次不改.
select grade, action, count(*) as appeals, count(*) filter (where is_recurrence) as recurrences
from mart_graded_appeals
where period_key = $1 and ($2 = '' or region_name = $2)
group by grade, action
order by min(grade_order), appeals desc, action
