-- What a letter stands on: the newest extract's day (its default date), every loaded file's
-- SHA-256 in load order, and the rules version.
select
    cast(cast(max(as_of) as date) as varchar),
    coalesce(string_agg(file_sha256, ',' order by load_id), ''),
    coalesce((select value from cfg_param where key = 'rules_version'), '')
from load_ledger
