-- One row per day of the years the holiday calendar covers, with whether it is a working day
-- (weekends off unless declared a 调休 working day; declared holidays off).

create or replace table dim_date as
with days as (
    select cast(unnest(generate_series(
        (select make_date(cast(min(year(date)) as bigint), 1, 1) from dim_holiday),
        (select make_date(cast(max(year(date)) as bigint), 12, 31) from dim_holiday),
        interval 1 day
    )) as date) as date
),

final as (
    select
        days.date,
        coalesce(h.kind = 'workday', isodow(days.date) < 6) as is_workday,
        h.kind as holiday_kind,
        h.name as holiday_name
    from days
    left join dim_holiday as h on h.date = days.date
)

select * from final order by date
