-- The rows of one month's lake partition of appeals. Parameters: $1 first moment of the month,
-- $2 first moment of the next (written into the text by lake.rs: COPY takes no parameters).
--
-- No ORDER BY: the rows come in the order the warehouse holds them (load by load, each file's
-- rows in file order, a ticket's newer state after the older loads), which DuckDB keeps
-- (preserve_insertion_order). So the same extracts loaded in the same order give the same
-- bytes. Sorting a month of a million rows (by ticket_id) took 1.7 s more than the whole
-- unsorted write and pushed a 1 M-row ingest past 1.5 GiB of memory (scripts/bench-ingest.sh).
select *
from appeals
where accepted_at >= cast($1 as timestamp)
  and accepted_at < cast($2 as timestamp)
