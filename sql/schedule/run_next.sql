-- The next run's number and this attempt's number for a job ($1) and period ($2).
select
    coalesce((select max(run_id) from run_ledger), 0) + 1,
    (select count(*) from run_ledger where job = $1 and period = $2) + 1
