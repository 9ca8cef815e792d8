-- The tickets of a 专项执法监督 case on a 普遍性执法问题: those of period $1 (its key) in
-- category $2 graded so, in every region ($3 '') or in one; oldest first.
select g.ticket_id
from mart_graded_appeals as g
where g.period_key = $1 and g.category = $2 and g.grade = '普遍性执法问题'
    and ($3 = '' or g.region_name = $3)
order by g.accepted_at, g.ticket_id
