-- The next load's number.
select coalesce(max(load_id), 0) + 1 from load_ledger
