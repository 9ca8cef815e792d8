-- One row per enforcement-related appeal (see int_appeal_scope) with every fact the
-- indicators, grades and analyses are built from. Thresholds are the rules of rexian.toml
-- [indicators] and [grading], substituted by refresh. The appeal's text stays in appeals
-- (join on ticket_id), which keeps this table narrow.
--
-- 重复诉求 and 屡次不改 compare enforcement-related appeals with each other: a caller's earlier
-- question about his pension does not make his complaint about a noisy building site a repeat.

with as_of as (
    -- The moment of the newest extract: deadlines after it have not fallen due yet.
    select coalesce(max(as_of), timestamp '9999-12-31') as data_as_of from load_ledger
),

appeals as (
    select a.* exclude (is_enforcement, enforcement_field),
        a.is_enforcement as is_enforcement_given,
        a.enforcement_field as enforcement_field_given,
        s.field_name, s.enforcement_source
    from appeals as a
    inner join int_appeal_scope as s on s.ticket_id = a.ticket_id
    where s.is_enforcement
),

workdays as (
    select * from dim_workday
),

dispatch_day as (
    select a.ticket_id, w.workday_seq as dispatch_seq
    from appeals as a
    inner join workdays as w on w.date = cast(a.dispatched_at as date)
),

derived_due as (
    select
        d.ticket_id,
        cast(w.date as timestamp) + interval 86399 second as due_at_derived
    from dispatch_day as d
    inner join workdays as w
        on w.workday_seq = d.dispatch_seq + cast({{default_due_workdays}} as integer) and w.is_workday
),

close_day as (
    select a.ticket_id, w.workday_seq as close_seq
    from appeals as a
    inner join workdays as w on w.date = cast(a.closed_at as date)
),

subject_history as (
    -- The previous appeal by the same caller and about the same subject (address × category).
    select
        ticket_id,
        -- The caller is known by the keyed hash of the phone number: names repeat too often
        -- (王伟, 张伟…) to tell callers apart.
        case when phone_hash is not null then lag(accepted_at) over (
            partition by phone_hash order by accepted_at, ticket_id) end as prev_by_caller,
        case when address is not null and category is not null then lag(accepted_at) over (
            partition by address, category order by accepted_at, ticket_id) end as prev_by_subject
    from appeals
),

recurrence as (
    -- 屡次不改: the subject was appealed before, that appeal was closed, and this one came
    -- within the window after the closing. The latest such closing is named.
    select
        t.ticket_id,
        arg_max(p.ticket_id, p.closed_at) as recurrence_of,
        count(*) as recurrence_closings
    from appeals as t
    inner join appeals as p
        on p.address = t.address
        and p.category = t.category
        and p.ticket_id <> t.ticket_id
        and p.closed_at < t.accepted_at
        and t.accepted_at <= p.closed_at + to_days(cast({{recurrence_window_days}} as integer))
    group by t.ticket_id
),

crowd as (
    -- Different callers about the same subject within the window up to this appeal.
    select
        ticket_id,
        count(distinct coalesce(phone_hash, caller_hash, ticket_id)) over (
            partition by address, category
            order by accepted_at
            range between to_days(cast({{crowd_window_days}} as integer)) preceding and current row
        ) as crowd_callers
    from appeals
    where address is not null and category is not null
),

final as (
    select
        a.ticket_id, a.channel, a.accepted_at, a.appeal_type,
        a.region_code, a.region_name, a.street, a.address,
        a.category, a.category_l1, a.category_l2, a.category_l3,
        a.is_dispute, a.department, a.dispatched_at, a.signed_at, a.due_at, a.closed_at,
        a.status, a.extensions, a.returns, a.returned_by, a.resolved,
        a.callback_at, a.satisfaction, a.reopened, a.supervised,
        a.is_enforcement_given, a.enforcement_field_given, a.field_name, a.enforcement_source,
        coalesce(a.due_at, derived_due.due_at_derived) as due_at_effective,
        a.due_at is null and derived_due.due_at_derived is not null as is_due_derived,
        coalesce(a.due_at, derived_due.due_at_derived) <= (select data_as_of from as_of)
            as is_due_by_as_of,
        case
            when a.dispatched_at is null then null
            when a.signed_at is not null
                then a.signed_at <= a.dispatched_at
                    + to_microseconds(cast(cast({{sign_limit_hours}} as double) * 3600e6 as bigint))
            else false
        end as is_signed_on_time,
        close_day.close_seq - dispatch_day.dispatch_seq as handling_workdays,
        a.closed_at <= coalesce(a.due_at, derived_due.due_at_derived) as is_closed_on_time,
        a.closed_at is null
            and coalesce(a.due_at, derived_due.due_at_derived) < (select data_as_of from as_of)
            as is_overdue_open,
        coalesce(len(list_distinct(list_filter(
            list_transform(string_split(a.returned_by, '、'), lambda x: trim(x)), lambda x: x <> ''))), 0)
            as returned_departments,
        coalesce(
            a.accepted_at - h.prev_by_caller <= to_days(cast({{repeat_window_days}} as integer))
            or a.accepted_at - h.prev_by_subject <= to_days(cast({{repeat_window_days}} as integer)),
            false
        ) as is_repeat,
        r.recurrence_of is not null as is_recurrence,
        r.recurrence_of,
        nullif(regexp_extract(
            coalesce(a.title, '') || ' ' || coalesce(a.content, ''),
            {{major_pattern}}
        ), '') as major_keyword,
        coalesce(c.crowd_callers, 1) as crowd_callers,
        {{rules_version}} as rules_version
    from appeals as a
    left join dispatch_day on dispatch_day.ticket_id = a.ticket_id
    left join derived_due on derived_due.ticket_id = a.ticket_id
    left join close_day on close_day.ticket_id = a.ticket_id
    left join subject_history as h on h.ticket_id = a.ticket_id
    left join recurrence as r on r.ticket_id = a.ticket_id
    left join crowd as c on c.ticket_id = a.ticket_id
)

select * from final
order by accepted_at, ticket_id
