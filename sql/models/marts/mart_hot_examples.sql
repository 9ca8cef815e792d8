-- 典型诉求: per period and region_scope ('' for the whole city), the [analysis] examples most
-- recent appeals of each of the three hottest categories of mart_hot_categories, with their
-- content (masked at load).
-- Read with `where period_key = ? and region_scope = ?`; a view (see dim_period_month). The
-- appeals come from int_appeal_texts alone, so that the period's months reach its scan.
-- materialized: view

with hottest as (
    select period_key, region_scope, category, rank as category_rank
    from mart_hot_categories
    where rank <= 3
),

period_appeals as (
    select pm.period_key, t.category, t.ticket_id, t.accepted_at, t.region_name, t.content
    from int_appeal_texts as t
    inner join dim_period_month as pm on pm.month = t.accepted_month and pm.in_period
),

-- Each appeal is an example for the city and for its own region.
scoped as (
    select '' as region_scope, * from period_appeals
    union all
    select region_name as region_scope, * from period_appeals
),

picked as (
    select
        s.*,
        h.category_rank,
        row_number() over (
            partition by s.period_key, s.region_scope, s.category
            order by s.accepted_at desc, s.ticket_id
        ) as example
    from scoped as s
    inner join hottest as h using (period_key, region_scope, category)
)

select
    period_key, region_scope, category_rank, example, category, ticket_id, accepted_at,
    region_name, content
from picked
where example <= (select cast(value as integer) from cfg_param where key = 'examples')
