-- Every mart row is traceable to appeals: monthly 诉求量 equals the appeals behind it, and every unit has appeals.
with fct as (
    select * from fct_enforcement_appeals
),

month_volumes as (
    select strftime(accepted_at, '%Y-%m') as period_key, count(*) as appeals
    from fct
    group by all
),

units as (
    select distinct 'region' as unit_kind, region_name as unit_key from fct
    union all
    select distinct 'department', coalesce(department, '（未填承办单位）') from fct
    union all
    select distinct 'field', field_name from fct
    union all
    select 'city', '全市'
)

select v.period_key, v.unit_kind, v.unit_key, v.value as mart_volume, m.appeals as fct_appeals
from mart_indicator_values as v
left join month_volumes as m on m.period_key = v.period_key
where v.indicator = 'volume' and v.period_kind = 'month' and v.unit_kind = 'city'
    and v.value <> coalesce(m.appeals, 0)
union all
select v.period_key, v.unit_kind, v.unit_key, v.value, null
from mart_indicator_values as v
left join units as u on u.unit_kind = v.unit_kind and u.unit_key = v.unit_key
where v.indicator = 'volume' and u.unit_key is null
