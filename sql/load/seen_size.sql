-- Whether the ledger knows a file of this size ($1 bytes): then it may be a re-load.
select count(*) > 0 from load_ledger where file_bytes = $1
