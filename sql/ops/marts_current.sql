-- Whether the marts were built from this build's SQL: every model of this build ($1, their
-- names) exists, and the last build of each recorded the SHA-256 of the same SQL file ($2,
-- 'model:sha256'). A warehouse built by another rexian needs one `rexian refresh`.
with latest as (
    select model, arg_max(sql_sha256, build_id) as sql_sha256
    from model_builds
    group by model
)

select
    (select count(distinct table_name) from information_schema.tables
        where list_contains($1, table_name)) = len($1)
    and (select count(*) from latest
        where list_contains($2, model || ':' || sql_sha256)) = len($2)
