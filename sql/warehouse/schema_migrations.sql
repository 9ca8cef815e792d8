-- The migrations applied to this warehouse (sql/migrations/NNN_name.sql), one row each: its
-- schema version is the highest. Written in the migration's own transaction.
create table if not exists schema_migrations (
    version             integer not null,  -- NNN of the file
    name                varchar not null,  -- the file's name
    applied_at          timestamptz not null,
    rexian_version      varchar not null   -- the rexian that applied it
);
