-- No mobile number, 18-digit ID number or vehicle plate in the free text (texts stored by an older release: `rexian remask`).
-- Reading every text is the slowest check (seconds on 10 M appeals), so `rexian refresh` reads
-- only the rows of loads after the last run that passed; `rexian check` reads them all.
-- The plate's shape is the masker's (src/mask/plates.rs): province, city letter, an optional
-- separator, then five or six letters and digits (or four and 挂/学…) with at least two digits,
-- not followed by another letter or digit. Names cannot be told by a pattern; they are
-- measured on the labelled set instead (mask::evaluate).
with rows_ as (
    select * from appeals where load_id > {{checked_through_load}}
),

texts as (
    select ticket_id, 'title' as column_name, title as value from rows_
    union all
    select ticket_id, 'content', content from rows_
    union all
    select ticket_id, 'address', address from rows_
),

-- One pass over every text for all three shapes; the plates' digits are counted only on the
-- few texts that pass it.
candidates as (
    select ticket_id, column_name, value
    from texts
    where regexp_matches(
        value,
        '(^|[^0-9])(1[3-9][0-9]{9}|[1-9][0-9]{16}[0-9Xx])([^0-9]|$)'
        || '|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Za-hj-np-z]'
    )
)

select ticket_id, column_name
from candidates
where regexp_matches(value, '(^|[^0-9])(1[3-9][0-9]{9}|[1-9][0-9]{16}[0-9Xx])([^0-9]|$)')
    or list_bool_or(list_transform(
        regexp_extract_all(
            value,
            '[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Za-hj-np-z][·•・ -]?'
            || '(?:[0-9A-HJ-NP-Za-hj-np-z]{5,6}[挂学警港澳领使]?|[0-9A-HJ-NP-Za-hj-np-z]{4}[挂学警港澳领使])'
            || '(?:[^0-9A-Za-z]|$)'
        ),
        lambda p: length(regexp_replace(p, '[^0-9]', '', 'g')) >= 2
    ))
