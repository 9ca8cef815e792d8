-- Days of the official calendar with their working-day sequence number, so that "the Nth
-- working day after" and "working days between" are arithmetic. A day off carries the
-- number of the working day before it.

with days as (
    select * from dim_date
),

final as (
    select
        date,
        is_workday,
        holiday_kind,
        holiday_name,
        sum(case when is_workday then 1 else 0 end)
            over (order by date rows between unbounded preceding and current row)
            as workday_seq
    from days
)

select * from final
