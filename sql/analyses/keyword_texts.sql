-- The titles and contents (masked at load) of the enforcement-related appeals of period $1 and
-- of the period before (as long as it: dim_period_month.in_prev), in region $2 ('' for the
-- city), for keyword counting, one row per appeal (the texts are nearly all distinct, so
-- grouping equal ones would cost more than it saves).
select
    pm.in_period,
    coalesce(t.title, '') || '。' || coalesce(t.content, '') as text,
    1::bigint as appeals
from int_appeal_texts as t
inner join dim_period_month as pm on pm.month = t.accepted_month
where pm.period_key = $1 and (pm.in_period or pm.in_prev)
    and ($2 = '' or t.region_name = $2)
