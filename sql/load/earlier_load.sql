-- The first load of a file with these bytes ($1 its SHA-256), if any.
select min(load_id) from load_ledger where file_sha256 = $1
