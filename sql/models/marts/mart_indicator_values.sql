-- Every indicator for every period (month, quarter, pilot year, calendar year) and every
-- unit (全市, each region, department and enforcement field): numerator, denominator, value,
-- and the values of the period before (环比) and a year before (同比).
-- A zero denominator gives a NULL value (shown as "—"), never 0 % or NaN.
-- change_prev / change_yoy: for counts and durations the relative change, for rates the
-- difference in percentage points (as a fraction: 0.012 = 1.2 个百分点).

with facts as (
    select * from int_monthly_facts
),

handling as (
    select * from int_handling_days
),

periods as (
    select * from dim_period
),

indicators as (
    select * from stg_indicator
),

unit_map as (
    -- Each region × department × field counts once for the city, its region, its department
    -- and its field. Defined once for the counts and the handling-time histogram.
    select k.region_name, k.department, k.field_name, x.unit_kind, x.unit_key
    from (select distinct region_name, department, field_name from facts) as k
    cross join unnest([
        {'unit_kind': 'city', 'unit_key': '全市'},
        {'unit_kind': 'region', 'unit_key': k.region_name},
        {'unit_kind': 'department', 'unit_key': coalesce(k.department, '（未填承办单位）')},
        {'unit_kind': 'field', 'unit_key': k.field_name}
    ]) as t(x)
),

units as (
    select f.*, m.unit_kind, m.unit_key
    from facts as f
    inner join unit_map as m
        on m.region_name is not distinct from f.region_name
        and m.department is not distinct from f.department
        and m.field_name is not distinct from f.field_name
),

sums as (
    select
        p.period_kind, p.period_key,
        u.unit_kind, u.unit_key,
        case when u.unit_kind = 'department' then min(u.region_name)
             when u.unit_kind = 'region' then u.unit_key end as region_name,
        sum(volume) as volume, sum(repeated) as repeated,
        sum(dispatched) as dispatched, sum(signed_on_time) as signed_on_time,
        sum(returned) as returned,
        sum(due) as due, sum(closed_on_time) as closed_on_time, sum(overdue) as overdue,
        sum(closed) as closed, sum(handled) as handled,
        sum(handling_workdays) as handling_workdays,
        sum(extended) as extended, sum(reopened) as reopened,
        sum(resolved) as resolved, sum(resolution_known) as resolution_known,
        sum(callbacks) as callbacks, sum(satisfied) as satisfied,
        sum(satisfied_strict) as satisfied_strict
    from units as u
    inner join periods as p on u.month >= p.start_date and u.month < p.end_date
    group by p.period_kind, p.period_key, u.unit_kind, u.unit_key
),

handling_units as (
    select h.*, m.unit_kind, m.unit_key
    from handling as h
    inner join unit_map as m
        on m.region_name is not distinct from h.region_name
        and m.department is not distinct from h.department
        and m.field_name is not distinct from h.field_name
),

handling_cumulative as (
    select
        p.period_kind, p.period_key, u.unit_kind, u.unit_key, u.handling_workdays,
        sum(sum(u.appeals)) over w as running,
        sum(sum(u.appeals)) over (partition by p.period_kind, p.period_key, u.unit_kind, u.unit_key)
            as total
    from handling_units as u
    inner join periods as p on u.month >= p.start_date and u.month < p.end_date
    group by p.period_kind, p.period_key, u.unit_kind, u.unit_key, u.handling_workdays
    window w as (
        partition by p.period_kind, p.period_key, u.unit_kind, u.unit_key
        order by u.handling_workdays
    )
),

medians as (
    -- The mean of the two middle values (one value when the count is odd).
    select
        period_kind, period_key, unit_kind, unit_key,
        (min(handling_workdays) filter (where running >= (total + 1) // 2)
            + min(handling_workdays) filter (where running >= total // 2 + 1)) / 2.0
            as median_workdays
    from handling_cumulative
    group by all
),

long as (
    select
        s.period_kind, s.period_key, s.unit_kind, s.unit_key, s.region_name,
        x.indicator, x.numerator, x.denominator
    from sums as s
    left join medians as m using (period_kind, period_key, unit_kind, unit_key)
    cross join unnest([
        {'indicator': 'volume', 'numerator': s.volume::double, 'denominator': null::double},
        {'indicator': 'sign_rate', 'numerator': s.signed_on_time, 'denominator': s.dispatched},
        {'indicator': 'on_time_rate', 'numerator': s.closed_on_time, 'denominator': s.due},
        {'indicator': 'overdue_rate', 'numerator': s.overdue, 'denominator': s.due},
        {'indicator': 'handling_days_mean', 'numerator': s.handling_workdays, 'denominator': s.handled},
        {'indicator': 'handling_days_median', 'numerator': m.median_workdays, 'denominator': s.handled},
        {'indicator': 'extension_rate', 'numerator': s.extended, 'denominator': s.closed},
        {'indicator': 'return_rate', 'numerator': s.returned, 'denominator': s.dispatched},
        {'indicator': 'resolution_rate', 'numerator': s.resolved, 'denominator': s.resolution_known},
        {'indicator': 'satisfaction_rate', 'numerator': s.satisfied, 'denominator': s.callbacks},
        {'indicator': 'satisfaction_strict_rate', 'numerator': s.satisfied_strict, 'denominator': s.callbacks},
        {'indicator': 'reopen_rate', 'numerator': s.reopened, 'denominator': s.closed},
        {'indicator': 'repeat_rate', 'numerator': s.repeated, 'denominator': s.volume}
    ]) as t(x)
),

valued as (
    select
        l.*,
        case
            when l.indicator = 'volume' then l.numerator
            when l.indicator = 'handling_days_median' then
                case when l.denominator > 0 then l.numerator end
            when l.denominator = 0 or l.denominator is null then null
            else l.numerator / l.denominator
        end as value
    from long as l
),

final as (
    select
        v.period_kind, v.period_key, p.period_label, p.start_date, p.end_date,
        v.unit_kind, v.unit_key, v.region_name,
        i.sort_order, v.indicator, i.indicator_name, i.unit,
        v.numerator, v.denominator, v.value,
        prev.value as value_prev,
        yoy.value as value_yoy,
        case when i.unit = 'rate' then v.value - prev.value
             when prev.value <> 0 then v.value / prev.value - 1 end as change_prev,
        case when i.unit = 'rate' then v.value - yoy.value
             when yoy.value <> 0 then v.value / yoy.value - 1 end as change_yoy,
        (select value from cfg_param where key = 'rules_version') as rules_version
    from valued as v
    inner join periods as p using (period_kind, period_key)
    inner join indicators as i using (indicator)
    left join valued as prev
        on prev.period_kind = v.period_kind and prev.period_key = p.prev_key
        and prev.unit_kind = v.unit_kind and prev.unit_key = v.unit_key
        and prev.indicator = v.indicator
    left join valued as yoy
        on yoy.period_kind = v.period_kind and yoy.period_key = p.yoy_key
        and yoy.unit_kind = v.unit_kind and yoy.unit_key = v.unit_key
        and yoy.indicator = v.indicator
)

select * from final
order by period_kind, period_key, unit_kind, unit_key, sort_order
