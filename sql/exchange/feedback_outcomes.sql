-- What became of each row of the file imported as $1: matched, unmatched (kept, with no push),
-- duplicate (the same as an earlier row of the file: kept once) or already (imported before,
-- from another file).
with firsts as (
    select row_sha256, min(row_no) as first_row from temp.feedback_in group by row_sha256
)

select
    f.row_no,
    f.ticket_id,
    case
        when r.row_no is not null and r.push_no is not null then 'matched'
        when r.row_no is not null then 'unmatched'
        when d.first_row <> f.row_no then 'duplicate'
        else 'already'
    end as outcome,
    d.first_row,
    f.push_no
from temp.feedback_in as f
left join feedback_rows as r on r.import_no = $1 and r.row_no = f.row_no
left join firsts as d on d.row_sha256 = f.row_sha256
order by f.row_no
