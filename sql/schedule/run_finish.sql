-- An attempt ends: $1 status, $2 when, $3 the files written (a list), $4 the error, $5 run_id.
update run_ledger
set status = $1,
    finished_at = cast($2 as timestamptz),
    outputs = cast($3 as varchar[]),
    error = $4
where run_id = $5
