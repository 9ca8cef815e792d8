-- What the refresh scores with the model: the appeals whose extract leaves 是否涉及行政执法 and
-- 执法领域 blank, of the loads after the newest it has scored ($1, from scored_through.sql; an
-- updated ticket comes with its new load). In ticket order.
select
    ticket_id,
    load_id,
    coalesce(category, '') as category,
    coalesce(title, '') as title,
    coalesce(content, '') as content,
    coalesce(department, '') as department
from appeals
where is_enforcement is null and enforcement_field is null and load_id > $1
order by ticket_id
