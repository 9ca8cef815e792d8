-- Decides what happens to each row of a file that may hold a ticket more than once.
-- Parameter $1: the load id. The file's rows are already in `appeals` (load_id = $1, inside
-- the load's transaction); every other row there is what the warehouse held before. Rows
-- whose action is not insert or update are then deleted again by apply.sql.
-- (classify_unique.sql is the same decision for the common case of one row per ticket,
-- without the window functions.)
--
--   conflict    the file holds the same ticket more than once, with different content and
--               nothing (an update time) to tell which is newer: every such row is rejected
--   superseded  an older or identical copy of a ticket that appears again in the same file
--   insert      a ticket the warehouse does not have
--   unchanged   the warehouse already holds exactly this state
--   stale       the warehouse holds a newer state (an older extract loaded late): skipped
--   update      a newer state of a known ticket

create or replace temp table stg_actions as
with staged as (
    select
        rowid as row_key,
        source_row,
        ticket_id,
        accepted_at,
        updated_at,
        state_hash,
        state_at
    from appeals
    where load_id = cast($1 as integer)
),

existing as (
    select rowid as existing_key, ticket_id, accepted_at, state_hash, state_at
    from appeals
    where load_id <> cast($1 as integer)
),

ranked as (
    select
        *,
        max(updated_at) over (partition by ticket_id) as newest_update,
        row_number() over (
            partition by ticket_id order by updated_at desc nulls last, row_key desc
        ) as copy_rank
    from staged
),

conflicts as (
    select
        ticket_id,
        string_agg(cast(source_row as varchar), ', ' order by row_key) as rows
    from ranked
    where updated_at is not distinct from newest_update
    group by ticket_id
    having count(distinct state_hash) > 1
),

final as (
    select
        ranked.row_key,
        ranked.source_row,
        ranked.ticket_id,
        ranked.accepted_at,
        ranked.state_at,
        ranked.state_hash,
        conflicts.rows as conflict_rows,
        existing.accepted_at as existing_accepted_at,
        existing.existing_key,
        case
            when conflicts.ticket_id is not null then 'conflict'
            when ranked.copy_rank > 1 then 'superseded'
            when existing.ticket_id is null then 'insert'
            when existing.state_hash = ranked.state_hash then 'unchanged'
            when existing.state_at > ranked.state_at then 'stale'
            else 'update'
        end as action
    from ranked
    left join conflicts on conflicts.ticket_id = ranked.ticket_id
    left join existing on existing.ticket_id = ranked.ticket_id
)

select * from final
