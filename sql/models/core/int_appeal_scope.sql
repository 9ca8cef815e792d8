-- Whether each appeal concerns administrative law enforcement (涉及行政执法), and its field
-- (执法领域). A value the extract gives always wins. When it leaves them blank they are
-- inferred, in this order:
--   1. the 承办单位 is an enforcement department of the reference data: its field;
--   2. a keyword of a field (data/reference/fields.csv `keywords`) in the category, the
--      title or the content: that field (the first keyword in the text; the longest one where several start there);
--   3. otherwise not enforcement-related.
-- enforcement_source says which rule decided: given / department / keyword / none.

with appeals as (
    select ticket_id, is_enforcement, enforcement_field, department, category, title, content
    from appeals
),

field_names as (
    select field_code, field_name from dim_field
),

department_fields as (
    select d.department_name, d.field_code
    from dim_department as d
    union
    select trim(unnest(string_split(d.aliases, '|'))) as department_name, d.field_code
    from dim_department as d
    where coalesce(d.aliases, '') <> ''
),

field_keywords as (
    select distinct on (keyword) keyword, field_code
    from (
        select trim(unnest(string_split(keywords, '|'))) as keyword, field_code
        from dim_field
        where coalesce(keywords, '') <> ''
    )
    where keyword <> ''
    order by keyword, field_code
),

keyword_hits as (
    -- Only appeals that neither the extract nor the department place in a field are searched.
    select
        a.ticket_id,
        nullif(regexp_extract(
            coalesce(a.category, '') || ' ' || coalesce(a.title, '') || ' ' || coalesce(a.content, ''),
            {{field_keyword_pattern}}
        ), '') as keyword
    from appeals as a
    left join department_fields as dep on dep.department_name = a.department
    where a.enforcement_field is null and dep.field_code is null
        and coalesce(a.is_enforcement, true)
),

enforcement as (
    select
        a.ticket_id,
        case
            when a.is_enforcement is not null then a.is_enforcement
            when dep.field_code is not null then true
            else kw.field_code is not null
        end as is_enforcement_effective,
        case
            when a.enforcement_field is not null then a.enforcement_field
            when coalesce(a.is_enforcement, true) = false then null
            else f.field_name
        end as field_name,
        case
            when a.is_enforcement is not null and (a.enforcement_field is not null or not a.is_enforcement)
                then 'given'
            when dep.field_code is not null then 'department'
            when kw.field_code is not null then 'keyword'
            when a.is_enforcement is not null then 'given'
            else 'none'
        end as enforcement_source
    from appeals as a
    left join department_fields as dep on dep.department_name = a.department
    left join keyword_hits as hit on hit.ticket_id = a.ticket_id
    left join field_keywords as kw on kw.keyword = hit.keyword
    left join field_names as f on f.field_code = coalesce(dep.field_code, kw.field_code)
)

select
    e.ticket_id,
    e.is_enforcement_effective as is_enforcement,
    case when e.is_enforcement_effective then coalesce(e.field_name, '未识别领域') end
        as field_name,
    e.enforcement_source
from enforcement as e
