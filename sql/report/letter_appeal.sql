-- What a supervision letter says of one enforcement-related appeal ($1 its ticket_id): the
-- masked texts come from appeals, the rest from the fact table.
select
    strftime(f.accepted_at, '%Y年%m月%d日 %H:%M') as accepted,
    f.department,
    f.region_name,
    f.category,
    a.title,
    a.content,
    f.status,
    f.major_keyword,
    f.is_recurrence,
    f.recurrence_of
from fct_enforcement_appeals as f
join appeals as a using (ticket_id)
where f.ticket_id = $1
