-- The additive counts behind every indicator, per month × region × department × field, for
-- enforcement-related appeals. Each count sits in the month of its own anchor date: volume
-- and repeats by 受理时间, signing and returns by 派单时间, on-time closing and overdue by
-- the effective deadline, closing-based counts by 办结时间, satisfaction by 回访时间.
-- Quarters and years are sums of months, so every period adds up exactly.

with f as (
    select * from fct_enforcement_appeals
),

accepted as (
    select
        cast(date_trunc('month', accepted_at) as date) as month,
        region_name, department, field_name,
        count(*) as volume,
        count(*) filter (where is_repeat) as repeated
    from f
    group by all
),

dispatched as (
    select
        cast(date_trunc('month', dispatched_at) as date) as month,
        region_name, department, field_name,
        count(*) as dispatched,
        count(*) filter (where is_signed_on_time) as signed_on_time,
        count(*) filter (where returns >= 1) as returned
    from f
    where dispatched_at is not null
    group by all
),

due as (
    select
        cast(date_trunc('month', due_at_effective) as date) as month,
        region_name, department, field_name,
        count(*) as due,
        count(*) filter (where is_closed_on_time) as closed_on_time,
        count(*) filter (where not coalesce(is_closed_on_time, false)) as overdue
    from f
    where due_at_effective is not null and is_due_by_as_of
    group by all
),

closed as (
    select
        cast(date_trunc('month', closed_at) as date) as month,
        region_name, department, field_name,
        count(*) as closed,
        count(handling_workdays) as handled,
        sum(handling_workdays) as handling_workdays,
        count(*) filter (where extensions >= 1) as extended,
        count(*) filter (where reopened) as reopened,
        count(*) filter (where resolved = '已解决') as resolved,
        count(*) filter (where resolved in ('已解决', '部分解决', '未解决')) as resolution_known
    from f
    where closed_at is not null
    group by all
),

callbacks as (
    select
        cast(date_trunc('month', coalesce(callback_at, closed_at)) as date) as month,
        region_name, department, field_name,
        count(*) as callbacks,
        count(*) filter (where satisfaction in ('满意', '基本满意')) as satisfied,
        count(*) filter (where satisfaction = '满意') as satisfied_strict
    from f
    where satisfaction in ('满意', '基本满意', '不满意')
        and coalesce(callback_at, closed_at) is not null
    group by all
),

all_counts as (
    select * from accepted
    union all by name select * from dispatched
    union all by name select * from due
    union all by name select * from closed
    union all by name select * from callbacks
)

select
    month, region_name, department, field_name,
    coalesce(sum(volume), 0) as volume,
    coalesce(sum(repeated), 0) as repeated,
    coalesce(sum(dispatched), 0) as dispatched,
    coalesce(sum(signed_on_time), 0) as signed_on_time,
    coalesce(sum(returned), 0) as returned,
    coalesce(sum(due), 0) as due,
    coalesce(sum(closed_on_time), 0) as closed_on_time,
    coalesce(sum(overdue), 0) as overdue,
    coalesce(sum(closed), 0) as closed,
    coalesce(sum(handled), 0) as handled,
    coalesce(sum(handling_workdays), 0) as handling_workdays,
    coalesce(sum(extended), 0) as extended,
    coalesce(sum(reopened), 0) as reopened,
    coalesce(sum(resolved), 0) as resolved,
    coalesce(sum(resolution_known), 0) as resolution_known,
    coalesce(sum(callbacks), 0) as callbacks,
    coalesce(sum(satisfied), 0) as satisfied,
    coalesce(sum(satisfied_strict), 0) as satisfied_strict
from all_counts
group by all
order by all
