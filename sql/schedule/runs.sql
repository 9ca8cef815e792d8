-- The run ledger for planning: every attempt, oldest first, with times as epoch seconds.
select
    run_id,
    job,
    period,
    attempt,
    status,
    run_trigger,
    epoch_ms(started_at) / 1000.0 as started,
    epoch_ms(finished_at) / 1000.0 as finished,
    coalesce(array_to_string(outputs, chr(10)), '') as outputs,
    error
from run_ledger
order by run_id
