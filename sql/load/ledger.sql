-- The load ledger's row for one file, written in the load's transaction.
insert into load_ledger (
    load_id, file_name, file_path, file_sha256, file_bytes, file_format, file_encoding,
    as_of, as_of_source, rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected,
    months, started_at, finished_at, rexian_version, schema_version
) values (
    ?, ?, ?, ?, ?, ?, ?,
    cast(? as timestamp), ?, ?, ?, ?, ?, ?,
    cast(? as varchar[]), cast(? as timestamptz), cast(? as timestamptz), ?, ?
)
