-- classify.sql for a file with one row per ticket (checked while reading): the same
-- actions without ranking copies. Parameter $1: the extract's as-of time.

create or replace temp table stg_actions as
with staged as (
    select
        source_row,
        ticket_id,
        accepted_at,
        state_hash,
        coalesce(updated_at, cast($1 as timestamp)) as state_at
    from stg_rows
),

final as (
    select
        staged.source_row,
        staged.ticket_id,
        staged.accepted_at,
        staged.state_at,
        staged.state_hash,
        cast(null as varchar) as conflict_rows,
        existing.accepted_at as existing_accepted_at,
        case
            when existing.ticket_id is null then 'insert'
            when existing.state_hash = staged.state_hash then 'unchanged'
            when existing.state_at > staged.state_at then 'stale'
            else 'update'
        end as action
    from staged
    left join appeals as existing on existing.ticket_id = staged.ticket_id
)

select * from final
