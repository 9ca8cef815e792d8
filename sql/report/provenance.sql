-- Where a report's figures come from: every loaded file's SHA-256 in load order, and the
-- rules version.
select
    coalesce(string_agg(file_sha256, ',' order by load_id), ''),
    (select value from cfg_param where key = 'rules_version')
from load_ledger
