-- Rejects for tickets that appear more than once in one file with conflicting content.
-- Parameters: $1 load id, $2 file name, $3 the header of the ticket id column.
insert into load_rejects
select
    cast($1 as integer),
    $2,
    source_row,
    $3,
    '工单编号 ' || ticket_id || ' appears in rows ' || conflict_rows
        || ' of this file with different content and no 更新时间 to tell which is newer;'
        || ' keep one row per ticket (or add an update-time column) and load the file again',
    cast(to_json(struct_pack(ticket_id, status, accepted_at, closed_at, department)) as varchar)
from stg_appeals
where action = 'conflict'
order by source_row
