-- Migration 3: each model built records the SHA-256 of its SQL file, so that a warehouse
-- whose marts were built from other SQL (an older or newer rexian) is known to need a
-- refresh before its marts are read. Builds made before are left NULL (and so need one).
alter table model_builds add column if not exists sql_sha256 varchar;
