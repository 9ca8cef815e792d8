-- The tickets of a 会商 case: those of period $1 (its key) in category $2 and region $3 that
-- were returned (退单) at least once, as the disputes analysis counts them; oldest first.
select g.ticket_id
from mart_graded_appeals as g
inner join fct_enforcement_appeals as f on f.ticket_id = g.ticket_id
where g.period_key = $1 and g.category = $2 and g.region_name = $3 and f.returns >= 1
order by g.accepted_at, g.ticket_id
