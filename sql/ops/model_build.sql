-- One model built by a refresh: $1 build, $2 model, $3 view or table, $4 its rows (tables),
-- $5 seconds, $6 when, $7 the rexian that built it, $8 the SHA-256 of its SQL file.
insert into model_builds (
    build_id, model, materialized, rows_built, seconds, built_at, rexian_version, sql_sha256
)
values ($1, $2, $3, $4, $5, cast($6 as timestamptz), $7, $8)
