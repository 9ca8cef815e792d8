-- The extracts the load ledger has taken, for a backup's archive list.
select load_id, file_name, file_sha256, file_bytes, cast(as_of as varchar)
from load_ledger
order by load_id
