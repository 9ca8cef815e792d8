-- The appeals whose extract says whether they are enforcement-related and, when they are, in
-- which field, by month of acceptance: the classifier's training data. `unknown` counts those
-- whose field the reference data does not know (ingest has already written each field by its reference name): they are left out.
with field_names as (
    select field_name as name, field_code from dim_field
),

labelled as (
    select strftime(a.accepted_at, '%Y-%m') as month, a.is_enforcement is false or f.field_code is not null as known
    from appeals as a
    left join field_names as f on f.name = a.enforcement_field
    where a.accepted_at is not null
        and (a.is_enforcement is false
            or (a.enforcement_field is not null and a.is_enforcement is not false))
)

select month, count(*) filter (where known) as rows, count(*) filter (where not known) as unknown
from labelled
group by month
order by month
