-- The letters of the 督办台账: one row per 文号 issued, in the order of each year's and
-- kind's sequence, with whether it was voided, answered, or is past its reply deadline.
-- $1 today (for 逾期未复); $2 a year (0 for all); $3 the workspace's offset from UTC in
-- seconds (the log keeps UTC; people read local time).
with letters as (
    select
        case_no,
        staff,
        json_extract_string(details, '$.number') as letter_no,
        json_extract_string(details, '$.letter_kind') as letter_kind,
        json_extract_string(details, '$.to') as addressee,
        cast(json_extract_string(details, '$.date') as date) as letter_date,
        cast(json_extract_string(details, '$.due') as date) as reply_due,
        cast(json_extract_string(details, '$.year') as integer) as letter_year,
        cast(json_extract_string(details, '$.seq') as integer) as letter_seq
    from case_events
    where action = 'letter'
),

voids as (
    select json_extract_string(details, '$.number') as letter_no, arg_min(note, event_id) as void_reason
    from case_events
    where action = 'void_letter'
    group by 1
),

replies as (
    select
        json_extract_string(details, '$.letter') as letter_no,
        min(event_at) as replied_at,
        arg_min(note, event_id) as reply_summary
    from case_events
    where action = 'answer' and json_extract_string(details, '$.letter') is not null
    group by 1
)

select
    l.letter_no,
    case l.letter_kind when 'opinion' then '行政执法监督意见书' else '行政执法监督提醒函' end as letter_title,
    l.case_no,
    l.addressee,
    l.letter_date,
    l.reply_due,
    case
        when v.letter_no is not null then '已作废'
        when r.letter_no is not null then '已答复'
        when l.reply_due < cast($1 as date) then '逾期未复'
        else '待答复'
    end as letter_state,
    cast(r.replied_at + to_seconds($3) as date) as replied_on,
    r.reply_summary,
    v.void_reason,
    l.staff as issued_by
from letters as l
left join voids as v using (letter_no)
left join replies as r using (letter_no)
where $2 = 0 or l.letter_year = $2
order by l.letter_year, l.letter_kind, l.letter_seq
