-- The titles and contents (masked at load) of the enforcement-related appeals of the period
-- [$2, $3) and of the period before [$1, $2), for keyword counting, one row per appeal (the
-- texts are nearly all distinct, so grouping equal ones would cost more than it saves).
select
    accepted_at >= cast($2 as date) as in_period,
    text,
    1::bigint as appeals
from int_appeal_texts
where accepted_at >= cast($1 as date) and accepted_at < cast($3 as date)
    and (coalesce(getvariable('rexian_region'), '') = '' or region_name = getvariable('rexian_region'))
