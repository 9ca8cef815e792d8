-- What the scheduler needs to know of the data: the newest load and its extract's moment,
-- whether the models are older than the newest load, and the first day with appeals.
with loads as (
    select
        max(load_id) as latest_load,
        max(as_of) as newest_as_of,
        max(finished_at) as last_loaded_at
    from load_ledger
),
builds as (
    select max(built_at) as last_built_at from model_builds
)
select
    coalesce(loads.latest_load, 0) as latest_load,
    strftime(loads.newest_as_of, '%Y-%m-%d') as newest_as_of,
    loads.last_loaded_at is not null
        and (builds.last_built_at is null or builds.last_built_at < loads.last_loaded_at)
        as needs_refresh,
    (select strftime(min(accepted_at), '%Y-%m-%d') from appeals) as first_day
from loads, builds
