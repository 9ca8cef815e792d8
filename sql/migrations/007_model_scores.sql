-- Migration 7: what the learned classifier of scope and field (rexian model) made of each
-- appeal whose extract leaves 是否涉及行政执法 and 执法领域 blank. The refresh scores the
-- appeals of the loads after the last it scored (an updated ticket comes with its new load),
-- and all of them again under a new model; fct_enforcement_appeals reads the scores of the
-- model in use, and decides by them only at [model] min_confidence or above.
create table if not exists model_scores (
    ticket_id      varchar not null,  -- one row per ticket (the refresh replaces a rescored one)
    load_id        integer not null,  -- the load of the appeal's version that was scored
    model_version  varchar not null,  -- the model's version (the start of its file's SHA-256)
    is_enforcement boolean not null,  -- the model's class: enforcement-related or not
    field_name     varchar,           -- its field (NULL when not enforcement-related)
    score          double not null    -- the model's probability of that class
);
