-- Replaces the stored texts by their remasked versions (remask_*, see stage.sql) and marks the
-- lake months that hold a changed appeal as owed, in the caller's transaction: the lake is
-- rewritten after the commit, and a crash in between is repaired by the next run, as after a
-- load.
insert into lake_pending
select distinct 'appeals', year(a.accepted_at), month(a.accepted_at)
from appeals as a
semi join remask_appeals as r on r.row_key = a.rowid;

update appeals
set title = r.title, content = r.content, address = r.address
from remask_appeals as r
where appeals.rowid = r.row_key;

update load_rejects
set row_values = r.row_values
from remask_rejects as r
where load_rejects.rowid = r.row_key;
