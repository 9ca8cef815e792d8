-- The file's rows without an update time of their own stand for the extract's moment ($1),
-- once it is known (the file's latest event). $2: the load id.
update appeals
set state_at = cast($1 as timestamp)
where load_id = cast($2 as integer) and updated_at is null
