-- A migration applied: $1 its version, $2 its file's name, $3 the rexian that applied it.
insert into schema_migrations (version, name, applied_at, rexian_version)
values ($1, $2, current_timestamp, $3)
