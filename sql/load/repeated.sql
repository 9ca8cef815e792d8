-- How many rows of the load ($1) repeat a ticket another of its rows has.
select count(*) - count(distinct ticket_id) from appeals where load_id = $1
