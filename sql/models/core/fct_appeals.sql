-- One row per appeal with the facts the indicators are built from: the effective deadline
-- (the one given, else 5 working days after dispatch under the official calendar) and the
-- handling time in working days.

with appeals as (
    select * from appeals
),

workdays as (
    select * from dim_workday
),

dispatch_day as (
    select
        appeals.ticket_id,
        w.workday_seq as dispatch_seq
    from appeals
    inner join workdays as w on w.date = cast(appeals.dispatched_at as date)
),

derived_due as (
    select
        d.ticket_id,
        cast(w.date as timestamp) + interval 86399 second as due_at_derived
    from dispatch_day as d
    inner join workdays as w
        on w.workday_seq = d.dispatch_seq + 5 and w.is_workday
),

close_day as (
    select
        appeals.ticket_id,
        w.workday_seq as close_seq
    from appeals
    inner join workdays as w on w.date = cast(appeals.closed_at as date)
),

final as (
    select
        appeals.*,
        coalesce(appeals.due_at, derived_due.due_at_derived) as due_at_effective,
        appeals.due_at is null and derived_due.due_at_derived is not null as is_due_derived,
        close_day.close_seq - dispatch_day.dispatch_seq as handling_workdays,
        appeals.closed_at <= coalesce(appeals.due_at, derived_due.due_at_derived)
            as is_closed_on_time
    from appeals
    left join dispatch_day on dispatch_day.ticket_id = appeals.ticket_id
    left join derived_due on derived_due.ticket_id = appeals.ticket_id
    left join close_day on close_day.ticket_id = appeals.ticket_id
)

select * from final
