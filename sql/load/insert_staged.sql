-- Every accepted row of the file goes into appeals, stamped with this load's id and visible
-- to nobody until the commit; classify.sql decides and apply.sql deletes the ones that lose.
-- By name: the staging table's columns are the appeals table's, in whatever order.
insert into appeals by name select * from stg_rows;
drop table stg_rows;
