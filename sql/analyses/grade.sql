-- 分级分类 of period $1 (mart_graded_appeals), limited to region $2 ('' for the whole city;
-- the widespread rule still looks at the city): the 重大 first, then by acceptance.
select
    ticket_id, accepted_at, region_name, department, category, field_name, grade, rule_fired,
    trigger_sentence, action, is_recurrence, recurrence_of, status, is_overdue_open, title,
    rules_version
from mart_graded_appeals
where period_key = $1 and ($2 = '' or region_name = $2)
order by grade_order, accepted_at, ticket_id
