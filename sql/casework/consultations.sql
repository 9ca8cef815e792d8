-- The 会商 register: one row per consultation recorded (action consult of the 督办台账's log),
-- of year $1 (0 for every year), in the order recorded; $2 the workspace's offset from UTC in
-- seconds (the log keeps UTC; people read local time).
select
    json_extract_string(details, '$.consult_no') as consult_no,
    cast(json_extract_string(details, '$.date') as date) as consulted_on,
    array_to_string(cast(json_extract(details, '$.departments') as varchar[]), '、') as attending,
    array_to_string(
        [if(t.region = '', t.category, t.category || '@' || t.region) for t in from_json(
            json_extract(details, '$.topics'), '[{"category":"VARCHAR","region":"VARCHAR"}]'
        )],
        '、'
    ) as consult_topics,
    json_extract_string(details, '$.lead') as lead_decided,
    json_extract_string(details, '$.norm') as handling_norm,
    note,
    staff,
    event_at + to_seconds($2) as event_at
from case_events
where action = 'consult'
    and ($1 = 0 or json_extract_string(details, '$.year') = cast($1 as varchar))
order by event_id
