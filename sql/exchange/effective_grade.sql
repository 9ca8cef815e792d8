-- The grade the office holds for ticket $1 apart from the warehouse's: its last correction,
-- else the grade it was first pushed with (NULL when neither).
select coalesce(
    (
        select arg_max(json_extract_string(details, '$.grade'), event_id)
        from case_events
        where action = 'regrade' and json_extract_string(details, '$.ticket') = $1
    ),
    (select arg_min(grade, push_no) from pushed_items where ticket_id = $1)
)
