-- classify.sql for a file with one row per ticket (checked first): the same actions without
-- ranking copies. Parameter $1: the load id.

create or replace temp table stg_actions as
with staged as (
    select
        rowid as row_key,
        source_row,
        ticket_id,
        accepted_at,
        state_at,
        state_hash
    from appeals
    where load_id = cast($1 as integer)
),

existing as (
    select rowid as existing_key, ticket_id, accepted_at, state_hash, state_at
    from appeals
    where load_id <> cast($1 as integer)
),

final as (
    select
        staged.row_key,
        staged.source_row,
        staged.ticket_id,
        staged.accepted_at,
        staged.state_at,
        staged.state_hash,
        cast(null as varchar) as conflict_rows,
        existing.accepted_at as existing_accepted_at,
        existing.existing_key,
        case
            when existing.ticket_id is null then 'insert'
            when existing.state_hash = staged.state_hash then 'unchanged'
            when existing.state_at > staged.state_at then 'stale'
            else 'update'
        end as action
    from staged
    left join existing on existing.ticket_id = staged.ticket_id
)

select * from final
