-- Every 承办单位 is a reference department or clearly another unit, not one or two characters off one (a typo or a missing alias in departments.csv).
-- Compared with the departments of the appeal's own region. Some DuckDB versions count
-- levenshtein in bytes (a Chinese character is 3 in UTF-8), others in characters: the limit
-- is two deletions of one character, measured the same way.
with known as (
    select department_name as name, region_code from dim_department
    union
    select trim(unnest(string_split(aliases, '|'))), region_code from dim_department
    where coalesce(aliases, '') <> ''
),

used as (
    select department, region_code, count(*) as appeals
    from appeals
    where department is not null
    group by all
)

select u.department, u.appeals, min(k.name) as closest_reference_department
from used as u
inner join known as k
    on k.region_code = u.region_code
    and levenshtein(u.department, k.name) between 1 and 2 * levenshtein('甲', '')
    and length(u.department) >= 5
where u.department not in (select name from known)
group by u.department, u.appeals
order by u.appeals desc, u.department
