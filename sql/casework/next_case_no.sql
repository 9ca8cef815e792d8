-- The next number of year $1's own sequence of 督办事项 (YYYY-NNNN): one more than the
-- highest opened, so that numbers have no gaps.
select coalesce(max(cast(split_part(case_no, '-', 2) as integer)), 0) + 1
from case_events
where action = 'open' and split_part(case_no, '-', 1) = cast($1 as varchar)
