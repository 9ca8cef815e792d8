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
    select distinct 'region' as dim_kind, region_name as dim_key from fct
    union all
    select distinct 'department', coalesce(department, '（未填承办单位）') from fct
    union all
    select distinct 'field', field_name from fct
    union all
    select 'city', '全市'
)

select v.period_key, v.dim_kind, v.dim_key, v.value as mart_volume, m.appeals as fct_appeals
from mart_indicator_values as v
left join month_volumes as m on m.period_key = v.period_key
where v.indicator = 'volume' and v.period_kind = 'month' and v.dim_kind = 'city'
    and v.value <> coalesce(m.appeals, 0)
union all
select v.period_key, v.dim_kind, v.dim_key, v.value, null
from mart_indicator_values as v
left join units as u on u.dim_kind = v.dim_kind and u.dim_key = v.dim_key
where v.indicator = 'volume' and u.dim_key is null
