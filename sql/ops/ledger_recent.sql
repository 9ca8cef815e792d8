-- The newest $1 loads, newest first, for `rexian ledger`.
select
    load_id,
    file_name,
    strftime(as_of, '%Y-%m-%d'),
    rows_read,
    rows_inserted,
    rows_updated,
    rows_unchanged,
    rows_rejected,
    strftime(finished_at, '%Y-%m-%d %H:%M'),
    left(file_sha256, 12)
from load_ledger
order by load_id desc
limit $1
