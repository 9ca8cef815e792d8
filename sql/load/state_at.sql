-- Rows without an update time of their own stand for the extract's moment ($1).
update stg_rows set state_at = cast($1 as timestamp) where updated_at is null
