-- For every loaded file: rows read = inserted + updated + unchanged + rejected.
select load_id, file_name, rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected
from load_ledger
where rows_read <> rows_inserted + rows_updated + rows_unchanged + rows_rejected
