-- Migration 5: the exchange with the hotline (双向推送). What each push sent, item by item,
-- and each feedback row the hotline sent back. Who pushed or imported what, and when, is an
-- event of the 督办台账's signed log (case_events, with case_no '' and action push or
-- feedback); that event carries a SHA-256 over its rows here, so `rexian case verify` finds
-- a row changed behind rexian's back too. The office's opinion on an item and its grade
-- corrections are events of the log as well (action opinion, regrade).
create table if not exists pushed_items (
    push_no        varchar not null,  -- 推送批次号, YYYY-PNNN (its own yearly sequence)
    ticket_id      varchar not null,  -- 工单编号
    period_key     varchar not null,  -- the period it was graded in (its grade is that period's)
    region_name    varchar,           -- 区县
    grade          varchar not null,  -- 分级 as sent: frozen at its first push unless the office corrected it
    grade_basis    varchar not null,  -- 推送时分级 or 办公室更正
    opinion        varchar,           -- 督办意见 for this item
    opinion_source varchar not null,  -- 督办办公室 or 规则建议
    case_no        varchar,           -- 督办事项编号, when a case was opened from it
    case_state     varchar,           -- its 办理状态 when pushed
    change_kind    varchar not null,  -- 新增 (first push) or 更新 (changed since its last push)
    primary key (push_no, ticket_id)
);

create table if not exists feedback_rows (
    import_no    varchar not null,   -- 导入批次号, YYYY-FNNN
    row_no       integer not null,   -- the row in the file (the header row is 1)
    ticket_id    varchar not null,   -- 工单编号
    push_no      varchar,            -- the push it answers; NULL when it matches none (未匹配)
    received_at  timestamp,          -- 签收时间
    result       varchar,            -- 处理结果
    redispatched varchar,            -- 重新派单
    feedback_at  timestamp,          -- 反馈时间
    remark       varchar,            -- 备注
    row_sha256   varchar not null,   -- SHA-256 of the row's fields: the same row imported twice is kept once
    primary key (import_no, row_no)
);
