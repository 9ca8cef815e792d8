-- The letter with 文号 $1: its case, what it was, whether it was voided and whether the
-- department's reply to it is recorded.
select
    l.case_no,
    json_extract_string(l.details, '$.letter_kind') as letter_kind,
    exists (
        select 1 from case_events as v
        where v.action = 'void_letter' and json_extract_string(v.details, '$.number') = $1
    ) as voided,
    (
        select cast(min(cast(r.event_at as date)) as varchar) from case_events as r
        where r.action = 'answer' and json_extract_string(r.details, '$.letter') = $1
    ) as replied_on
from case_events as l
where l.action = 'letter' and json_extract_string(l.details, '$.number') = $1
