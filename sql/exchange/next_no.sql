-- The next number of year $2's own sequence of the log's events of action $1 (push: 推送批次号
-- YYYY-PNNNN; feedback: 导入批次号 YYYY-FNNNN): one more than the highest, so no gaps.
select coalesce(max(cast(json_extract_string(details, '$.seq') as integer)), 0) + 1
from case_events
where action = $1 and json_extract_string(details, '$.year') = cast($2 as varchar)
