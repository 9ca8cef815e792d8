-- The demo's sample letters: a 监督意见书 for the latest major-incident appeal and a 提醒函
-- for the latest appeal closed after its deadline, within [$1, $2).
select * from (
    select 'opinion' as kind, ticket_id
    from fct_enforcement_appeals
    where major_keyword is not null and accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
    order by accepted_at desc, ticket_id
    limit 1
)
union all
select * from (
    select 'reminder', ticket_id
    from fct_enforcement_appeals
    where not coalesce(is_closed_on_time, true) and department is not null
        and accepted_at >= cast($1 as date) and accepted_at < cast($2 as date)
    order by accepted_at desc, ticket_id
    limit 1
)
