-- Decides what happens to each staged row of one file. Parameter $1: the extract's as-of time.
--
--   conflict    the file holds the same ticket more than once, with different content and
--               nothing (an update time) to tell which is newer: every such row is rejected
--   superseded  an older or identical copy of a ticket that appears again in the same file
--   insert      a ticket the warehouse does not have
--   unchanged   the warehouse already holds exactly this state
--   stale       the warehouse holds a newer state (an older extract loaded late): skipped
--   update      a newer state of a known ticket

create or replace temp table stg_appeals as
with staged as (
    select
        source_row,
        ticket_id,
        channel,
        make_timestamp(accepted_us) as accepted_at,
        appeal_type,
        title,
        content,
        caller_hash,
        phone_hash,
        region_code,
        region_name,
        street,
        address,
        category,
        category_l1,
        category_l2,
        category_l3,
        is_enforcement,
        enforcement_field,
        is_dispute,
        department,
        co_departments,
        make_timestamp(dispatched_us) as dispatched_at,
        make_timestamp(signed_us) as signed_at,
        make_timestamp(due_us) as due_at,
        make_timestamp(closed_us) as closed_at,
        status,
        extensions,
        returns,
        returned_by,
        resolved,
        make_timestamp(callback_us) as callback_at,
        satisfaction,
        satisfaction_raw,
        reopened,
        supervised,
        make_timestamp(updated_us) as updated_at,
        coalesce(make_timestamp(updated_us), cast($1 as timestamp)) as state_at
    from stg_rows
),

hashed as (
    select
        *,
        md5(concat_ws(chr(31),
            ticket_id, coalesce(channel, '∅'), accepted_at, coalesce(appeal_type, '∅'),
            coalesce(title, '∅'), coalesce(content, '∅'), coalesce(caller_hash, '∅'),
            coalesce(phone_hash, '∅'), region_code, coalesce(street, '∅'),
            coalesce(address, '∅'), coalesce(category, '∅'),
            coalesce(cast(is_enforcement as varchar), '∅'), coalesce(enforcement_field, '∅'),
            coalesce(cast(is_dispute as varchar), '∅'), coalesce(department, '∅'),
            coalesce(co_departments, '∅'), coalesce(cast(dispatched_at as varchar), '∅'),
            coalesce(cast(signed_at as varchar), '∅'), coalesce(cast(due_at as varchar), '∅'),
            coalesce(cast(closed_at as varchar), '∅'), status,
            coalesce(cast(extensions as varchar), '∅'), coalesce(cast(returns as varchar), '∅'),
            coalesce(returned_by, '∅'), coalesce(resolved, '∅'),
            coalesce(cast(callback_at as varchar), '∅'), coalesce(satisfaction_raw, '∅'),
            coalesce(cast(reopened as varchar), '∅'), coalesce(cast(supervised as varchar), '∅'),
            coalesce(cast(updated_at as varchar), '∅')
        )) as state_hash
    from staged
),

ranked as (
    select
        *,
        max(updated_at) over (partition by ticket_id) as newest_update,
        row_number() over (
            partition by ticket_id order by updated_at desc nulls last, source_row desc
        ) as copy_rank
    from hashed
),

conflicts as (
    select ticket_id, string_agg(cast(source_row as varchar), ', ' order by source_row) as rows
    from ranked
    where updated_at is not distinct from newest_update
    group by ticket_id
    having count(distinct state_hash) > 1
),

final as (
    select
        ranked.*,
        conflicts.rows as conflict_rows,
        existing.accepted_at as existing_accepted_at,
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
    left join appeals as existing on existing.ticket_id = ranked.ticket_id
)

select * exclude (newest_update, copy_rank) from final
