-- The files the warehouse was loaded from, in load order: what a model's training data came
-- from (its SHA-256 is recorded in the model).
select coalesce(string_agg(file_sha256, ',' order by load_id), '') from load_ledger
