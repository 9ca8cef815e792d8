-- Migration 2: each load records the schema version it was written under, so that a row can
-- be traced to the shape of the warehouse that took it. Loads made before are left NULL.
alter table load_ledger add column if not exists schema_version integer;
