-- The last load through which every row passed the incremental check $1 (0: none yet).
select coalesce(max(checked_through_load), 0)
from check_watermarks
where check_name = $1
