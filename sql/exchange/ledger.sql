-- The push ledger (推送台账): every push, newest last, with how many items it sent, how many
-- were new or updated, and how many the hotline has answered; times at the workspace's
-- offset $1 (seconds from UTC).
with items as (
    select
        push_no,
        count(*) as items,
        count(*) filter (where change_kind = '新增') as items_new,
        count(*) filter (where change_kind = '更新') as items_updated,
        count(*) filter (
            where ticket_id in (select ticket_id from feedback_rows where push_no is not null)
        ) as items_answered
    from pushed_items
    group by push_no
)

select
    json_extract_string(e.details, '$.push_no') as push_no,
    e.event_at + to_seconds($1) as pushed_at,
    e.staff,
    json_extract_string(e.details, '$.period') as period_key,
    coalesce(nullif(json_extract_string(e.details, '$.county'), ''), '全市') as region_name,
    i.items,
    i.items_new,
    i.items_updated,
    i.items_answered,
    json_extract_string(e.details, '$.file') as file_name
from case_events as e
left join items as i on i.push_no = json_extract_string(e.details, '$.push_no')
where e.action = 'push'
order by e.event_id
