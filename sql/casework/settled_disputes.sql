-- The categories settled by a 会商 held before $1 (the day after a period's last): for each
-- category × region ('' for the whole city) discussed, the latest such consultation, the lead
-- department it decided, and the share of the category's enforcement-related appeals (in that
-- region, or everywhere) returned (退单 at least once) in the three months before the
-- consultation's month and in the months after it up to the period's end (its own month in
-- neither). Read by src/casework/consult.rs, which matches them to the disputes analysis.
with consults as (
    select
        json_extract_string(details, '$.consult_no') as consult_no,
        cast(json_extract_string(details, '$.date') as date) as consulted_on,
        json_extract_string(details, '$.lead') as lead_decided,
        unnest(from_json(
            json_extract(details, '$.topics'), '[{"category":"VARCHAR","region":"VARCHAR"}]'
        )) as topic
    from case_events
    where action = 'consult'
        and cast(json_extract_string(details, '$.date') as date) < cast($1 as date)
),

latest as (
    select
        topic.category as category,
        topic.region as region,
        arg_max(consult_no, strftime(consulted_on, '%Y-%m-%d') || consult_no) as consult_no,
        max(consulted_on) as consulted_on,
        arg_max(lead_decided, strftime(consulted_on, '%Y-%m-%d') || consult_no) as lead_decided
    from consults
    group by all
),

windows as (
    select
        *,
        cast(date_trunc('month', consulted_on) as date) as consult_month
    from latest
),

rates as (
    select
        w.category,
        w.region,
        count(*) filter (where f.accepted_month < w.consult_month) as before_n,
        count(*) filter (where f.accepted_month < w.consult_month and f.returns >= 1) as before_returned,
        count(*) filter (where f.accepted_month > w.consult_month) as after_n,
        count(*) filter (where f.accepted_month > w.consult_month and f.returns >= 1) as after_returned
    from windows as w
    inner join fct_enforcement_appeals as f
        on f.category = w.category and (w.region = '' or f.region_name = w.region)
    where f.accepted_month >= w.consult_month - interval 3 month
        and f.accepted_month < cast($1 as date)
    group by all
)

select
    w.category,
    w.region,
    w.consult_no,
    cast(w.consulted_on as varchar) as consulted_on,
    w.lead_decided,
    round(r.before_returned / nullif(r.before_n, 0), 4) as return_rate_before,
    round(r.after_returned / nullif(r.after_n, 0), 4) as return_rate_after
from windows as w
left join rates as r using (category, region)
order by w.category, w.region
