-- Rows still `running` while the job lock is held are traces of a killed process: they are
-- marked interrupted at $1, and due again.
update run_ledger
set status = 'interrupted',
    finished_at = cast($1 as timestamptz),
    error = 'the process stopped before the job finished (killed, or the machine went down); due again'
where status = 'running'
returning job, period
