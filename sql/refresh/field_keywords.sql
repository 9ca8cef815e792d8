-- Every field keyword of the reference data as one alternation, longest first so that the
-- most specific word wins. Becomes {{field_keyword_pattern}} in the models.
select string_agg(keyword, '|' order by length(keyword) desc, keyword)
from (
    select distinct regexp_escape(trim(unnest(string_split(keywords, '|')))) as keyword
    from dim_field
    where coalesce(keywords, '') <> ''
)
where keyword <> ''
