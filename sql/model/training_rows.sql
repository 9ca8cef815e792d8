-- The labelled appeals of labelled_months.sql, one in $1 of them (by the ticket's hash, so
-- the same rows every time), accepted on the day $2 or later, each with its month and class:
-- '' not enforcement-related, else its field's code. In ticket order.
with field_names as (
    select field_name as name, field_code from dim_field
)

select
    strftime(a.accepted_at, '%Y-%m') as month,
    coalesce(a.category, '') as category,
    coalesce(a.title, '') as title,
    coalesce(a.content, '') as content,
    coalesce(a.department, '') as department,
    if(a.is_enforcement is false, '', f.field_code) as class_code
from appeals as a
left join field_names as f on f.name = a.enforcement_field
where a.accepted_at is not null
    and (a.is_enforcement is false
        or (f.field_code is not null and a.is_enforcement is not false))
    and hash(a.ticket_id) % cast($1 as ubigint) = 0
    and a.accepted_at >= cast($2 as date)
order by a.ticket_id
