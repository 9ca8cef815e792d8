-- Rejects for tickets that appear more than once in one file with conflicting content.
-- Parameters: $1 load id, $2 file name, $3 the header of the ticket id column.
insert into load_rejects
select
    cast($1 as integer),
    $2,
    a.source_row,
    $3,
    '工单编号 ' || a.ticket_id || ' appears in rows ' || a.conflict_rows
        || ' of this file with different content and no 更新时间 to tell which is newer;'
        || ' keep one row per ticket (or add an update-time column) and load the file again',
    cast(to_json(struct_pack(
        ticket_id := r.ticket_id, status := r.status, accepted_at := r.accepted_at,
        closed_at := r.closed_at, department := r.department
    )) as varchar)
from stg_actions as a
inner join appeals as r on r.rowid = a.row_key and r.load_id = cast($1 as integer)
where a.action = 'conflict'
order by a.source_row
