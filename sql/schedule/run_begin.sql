-- An attempt begins: its row is written `running` and committed before the work starts.
insert into run_ledger (
    run_id, job, period, attempt, status, run_trigger, started_at, pid, rexian_version
)
values ($1, $2, $3, $4, 'running', $5, cast($6 as timestamptz), $7, $8)
