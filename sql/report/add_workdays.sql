-- The working day $2 working days after the day $1, under the official calendar (dim_workday
-- numbers the working days in order; 调休 make-up days count, holidays do not).
select cast(w2.date as varchar)
from dim_workday as w1
join dim_workday as w2 on w2.workday_seq = w1.workday_seq + $2 and w2.is_workday
where w1.date = cast($1 as date)
