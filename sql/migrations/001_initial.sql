-- Migration 1: the warehouse's own tables as rexian 0.1.0 first created them: the core
-- appeals table, the load ledger and what the lake still owes. A warehouse made before schema
-- versions existed is at this version. Reference (dim_) tables are rebuilt from
-- data/reference on every load (sql/warehouse/reference.sql) and models by every refresh:
-- neither is migrated. Every statement is idempotent.

create table if not exists appeals (
    ----------  identity
    ticket_id           varchar not null,  -- 工单编号
    ----------  the appeal
    channel             varchar,           -- 受理渠道
    accepted_at         timestamp not null,-- 受理时间 (local time, see rexian.toml time_zone)
    appeal_type         varchar,           -- 诉求类型
    title               varchar,           -- 诉求标题 (masked)
    content             varchar,           -- 诉求内容 (masked)
    caller_hash         varchar,           -- 来电人, keyed hash
    phone_hash          varchar,           -- 联系电话, keyed hash
    region_code         varchar not null,  -- 所属区县 (code)
    region_name         varchar not null,  -- 所属区县 (name)
    street              varchar,           -- 乡镇街道
    address             varchar,           -- 事发地址 (masked)
    category            varchar,           -- 诉求分类 path, levels joined by /
    category_l1         varchar,
    category_l2         varchar,
    category_l3         varchar,
    ----------  enforcement
    is_enforcement      boolean,           -- 是否涉及行政执法 (null: not given)
    enforcement_field   varchar,           -- 执法领域 (canonical name; null: not given)
    is_dispute          boolean,           -- 是否管辖争议 (platform flag)
    ----------  handling
    department          varchar,           -- 承办单位
    co_departments      varchar,           -- 协办单位
    dispatched_at       timestamp,         -- 派单时间
    signed_at           timestamp,         -- 签收时间
    due_at              timestamp,         -- 应办结时间 as given (null: derive from dispatch)
    closed_at           timestamp,         -- 办结时间
    status              varchar not null,  -- 办理状态 (canonical)
    extensions          integer,           -- 延期次数
    returns             integer,           -- 退单次数
    returned_by         varchar,           -- 退单单位, joined by 、
    resolved            varchar,           -- 是否解决 (已解决/部分解决/未解决)
    callback_at         timestamp,         -- 回访时间
    satisfaction        varchar,           -- 回访满意度 (满意/基本满意/不满意/未回访)
    satisfaction_raw    varchar,           -- 回访满意度 as written (five-level platforms)
    reopened            boolean,           -- 重办
    supervised          boolean,           -- 是否督办
    ----------  versioning and provenance
    updated_at          timestamp,         -- the ticket's own update time, when given
    state_at            timestamp not null,-- coalesce(updated_at, extract as-of): newest wins
    state_hash          varchar not null,  -- md5 of the values above: unchanged rows are skipped
    load_id             integer not null,  -- load_ledger.load_id that wrote this version
    source_row          integer not null   -- row number in that file
);

create table if not exists load_ledger (
    load_id             integer not null,
    file_name           varchar not null,
    file_path           varchar not null,
    file_sha256         varchar not null,
    file_bytes          bigint not null,
    file_format         varchar not null,  -- csv / xlsx
    file_encoding       varchar,           -- utf-8 / utf-8-bom / gb18030 (csv only)
    as_of               timestamp not null,-- the extract's moment
    as_of_source        varchar not null,  -- option / file name / latest timestamp in file
    rows_read           bigint not null,
    rows_inserted       bigint not null,
    rows_updated        bigint not null,
    rows_unchanged      bigint not null,
    rows_rejected       bigint not null,
    months              varchar[] not null,-- months of accepted_at touched
    started_at          timestamptz not null,
    finished_at         timestamptz not null,
    rexian_version      varchar not null
);

create table if not exists load_rejects (
    load_id             integer not null,
    file_name           varchar not null,
    row_number          bigint not null,   -- as Excel shows it: the header is row 1 (or later)
    column_name         varchar,           -- the file's own header, when one column is at fault
    reason              varchar not null,
    row_values          varchar            -- the row as JSON, personal data masked
);

-- Months whose lake partition must be rewritten. Filled in the load's transaction and emptied
-- once the partition is in place, so a crash in between is repaired by the next run.
create table if not exists lake_pending (
    table_name          varchar not null,
    year                integer not null,
    month               integer not null
);

-- One row per model built by `rexian refresh`.
create table if not exists model_builds (
    build_id            integer not null,
    model               varchar not null,
    materialized        varchar not null,  -- view / table
    rows_built          bigint,            -- tables only
    seconds             double not null,
    built_at            timestamptz not null,
    rexian_version      varchar not null
);

create table if not exists supervision_decisions (
    ticket_id           varchar not null,  -- 工单编号 of a 重点督办 item
    decision            varchar not null,  -- 督办决定, as the office wrote it
    decided_at          timestamptz not null,
    decided_by          varchar            -- who recorded it
);

create table if not exists check_watermarks (
    check_name          varchar not null,  -- a check of sql/checks/ that reads only new rows
    checked_through_load integer not null, -- every row of loads up to this one passed it
    checked_at          timestamptz not null
);

-- One row per attempt of a scheduled job (`rexian serve`, `rexian run`) for one period. The
-- daemon works out what is due from this table: a (job, period) is done once it has a
-- succeeded row. A row still `running` when no job runs is the trace of a killed process;
-- the next job marks it `interrupted`, and the period is due again.
create table if not exists run_ledger (
    run_id              integer not null,
    job                 varchar not null,  -- inbox / refresh / monthly / quarterly / pilot_summary / push_list
    period              varchar not null,  -- 2024-03, 2024Q1, PY2023-24; load N (refresh); the scan's moment (inbox)
    attempt             integer not null,  -- 1, 2, … for the same job and period
    status              varchar not null,  -- running / succeeded / failed / interrupted
    run_trigger         varchar not null,  -- schedule / retry / manual / forced
    started_at          timestamptz not null,
    finished_at         timestamptz,
    outputs             varchar[],         -- files written, loads made
    error               varchar,           -- why it failed
    pid                 integer not null,  -- the process that ran it
    rexian_version      varchar not null
);
