-- The incremental check $1 passed on every row of the loads through $2: one row per check.
delete from check_watermarks where check_name = $1;
insert into check_watermarks (check_name, checked_through_load, checked_at)
values ($1, $2, now());
