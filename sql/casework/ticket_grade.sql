-- The grade of ticket $2 in the month $1 it was accepted in, as it stands now.
select grade from mart_graded_appeals where period_key = $1 and ticket_id = $2
