-- The texts that today's masking changes, written here by `rexian remask` (src/remask.rs)
-- before they replace the stored ones: appeals by rowid, rejects by rowid.
create or replace temp table remask_appeals (
    row_key     bigint not null,
    title       varchar,
    content     varchar,
    address     varchar
);

create or replace temp table remask_rejects (
    row_key     bigint not null,
    row_values  varchar
);
