-- The rows of one month's lake partition of appeals, in a fixed order so that the Parquet
-- file's bytes depend only on the data. Parameters: $1 first moment of the month, $2 first
-- moment of the next (written into the text by lake.rs: COPY takes no parameters).
select *
from appeals
where accepted_at >= cast($1 as timestamp)
  and accepted_at < cast($2 as timestamp)
order by accepted_at, ticket_id
