-- The next number of the year's own sequence of letters of one kind ($1 'opinion' or
-- 'reminder', $2 the year of its date): one more than the highest issued, voided ones
-- included, so that numbers are never reused and have no gaps.
select coalesce(max(cast(json_extract_string(details, '$.seq') as integer)), 0) + 1
from case_events
where action = 'letter'
    and json_extract_string(details, '$.letter_kind') = $1
    and json_extract_string(details, '$.year') = cast($2 as varchar)
