-- 督办工作情况: what the office did on its cases, in its exchange with the hotline and in its
-- 会商 in a period, read from the 督办台账's log. $1 the period's first day, $2 the day after its last
-- (local dates); $3 a region ('' for the city: a case counts in every region its tickets
-- came from, a pushed item in its own); $4 the workspace's offset from UTC in seconds (the
-- log keeps UTC; the office's days are local).
-- An event counts in the period it happened in (a letter on its 成文日期, a 会商 on the day it
-- was held: in a region when one of its topics is that region's or the city's); what stood
-- open at the period's end is each case's state after its last event before that end, so a report of
-- a past period says the same whenever it is made again. One row per item, in the order a
-- report prints them; the report's sentence (src/report/mod.rs, casework) reads each count by
-- its item_order, so a new item takes the next number and none is renumbered.
with events as (
    select
        event_id, case_no, action, to_state, details,
        cast(event_at + to_seconds($4) as date) as day
    from case_events
),

-- The cases of the region opened before the period's end.
cases as (
    select case_no
    from events
    where case_no <> '' and action = 'open' and day < cast($2 as date)
        and ($3 = '' or list_contains(string_split(json_extract_string(details, '$.region'), '、'), $3))
),

happened as (
    select e.action, e.details
    from events as e
    semi join cases as c on c.case_no = e.case_no
    where e.day >= cast($1 as date) and e.day < cast($2 as date)
        and e.action <> 'letter'
),

letters as (
    select json_extract_string(e.details, '$.letter_kind') as letter_kind
    from events as e
    semi join cases as c on c.case_no = e.case_no
    where e.action = 'letter'
        and cast(json_extract_string(e.details, '$.date') as date) >= cast($1 as date)
        and cast(json_extract_string(e.details, '$.date') as date) < cast($2 as date)
),

at_end as (
    select
        arg_max(e.to_state, e.event_id) as state,
        cast(json_extract_string(
            arg_max(e.details, e.event_id) filter (where e.action in ('assign', 'return', 'letter')),
            '$.due'
        ) as date) as due
    from events as e
    semi join cases as c on c.case_no = e.case_no
    where e.day < cast($2 as date)
    group by e.case_no
),

pushes as (
    select json_extract_string(details, '$.push_no') as push_no
    from events
    where action = 'push' and day >= cast($1 as date) and day < cast($2 as date)
),

pushed as (
    select p.ticket_id, p.change_kind
    from pushed_items as p
    semi join pushes as s on s.push_no = p.push_no
    where $3 = '' or p.region_name = $3
),

imports as (
    select json_extract_string(details, '$.import_no') as import_no
    from events
    where action = 'feedback' and day >= cast($1 as date) and day < cast($2 as date)
),

-- 会商 held in the period on a topic of the region (or city-wide).
consults as (
    select details
    from events
    where action = 'consult'
        and cast(json_extract_string(details, '$.date') as date) >= cast($1 as date)
        and cast(json_extract_string(details, '$.date') as date) < cast($2 as date)
        and ($3 = '' or list_has_any(
            [t.region for t in from_json(
                json_extract(details, '$.topics'), '[{"category":"VARCHAR","region":"VARCHAR"}]'
            )],
            [$3, '']
        ))
),

-- Feedback matched to a push, in the pushed item's region.
answered as (
    select f.ticket_id, f.push_no
    from feedback_rows as f
    semi join imports as i on i.import_no = f.import_no
    where f.push_no is not null
        and ($3 = '' or exists (
            select 1 from pushed_items as p
            where p.push_no = f.push_no and p.ticket_id = f.ticket_id and p.region_name = $3
        ))
)

select item_order, work_item, work_count
from (
    select 1 as item_order, '新立督办事项' as work_item,
        (select count(*) from happened where action = 'open') as work_count
    union all
    select 2, '不予立案', (select count(*) from happened where action = 'reject')
    union all
    select 3, '交办督办', (select count(*) from happened where action = 'assign')
    union all
    select 4, '发出《行政执法监督意见书》', (select count(*) from letters where letter_kind = 'opinion')
    union all
    select 5, '发出提醒函', (select count(*) from letters where letter_kind = 'reminder')
    union all
    select 6, '收到部门答复（整改报告）', (select count(*) from happened where action = 'answer')
    union all
    select 7, '审核通过、答复群众', (select count(*) from happened where action = 'approve')
    union all
    select 8, '退回重办', (select count(*) from happened where action = 'return')
    union all
    select 9, '办结', (select count(*) from happened where action = 'close')
    union all
    select 10, '期末在办督办事项',
        (select count(*) from at_end where state in ('待研判', '督办中', '待审核'))
    union all
    select 11, '其中超过办理期限',
        (select count(*) from at_end
         where state in ('督办中', '待审核') and due < cast($2 as date))
    union all
    select 12, '推送热线事项', (select count(distinct ticket_id) from pushed)
    union all
    select 13, '其中首次推送', (select count(distinct ticket_id) from pushed where change_kind = '新增')
    union all
    select 14, '收到热线反馈的推送事项', (select count(distinct (ticket_id, push_no)) from answered)
    union all
    select 15, '组织会商', (select count(*) from consults)
)
order by item_order
