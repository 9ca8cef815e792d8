-- The configurable rules (rexian.toml [indicators], [scoring], [grading], [analysis]) as
-- tables, rewritten before every refresh, so that the models read their thresholds from
-- data and every result can name the rules version it was computed under.

create or replace table cfg_param (
    key             varchar not null,  -- setting name, e.g. sign_limit_hours
    value           varchar not null   -- its value as text; the models cast it
);

create or replace table cfg_scoring_curve (
    indicator       varchar not null,  -- indicator code (see stg_indicator)
    group_name      varchar not null,  -- 一级指标
    group_weight    double not null,
    weight          double not null,   -- weight inside the group
    floor           double not null,   -- value scoring 0
    target          double not null    -- value scoring 100
);

create or replace table cfg_band (
    band            varchar not null,  -- 优秀 / 良好 / 合格
    min_score       double not null
);

create or replace table cfg_action (
    key             varchar not null,  -- grade, or general_reminder / general_routine / recurrence
    action          varchar not null   -- 建议措施
);

create or replace table cfg_word (
    list            varchar not null,  -- major / behaviour / stopword
    word            varchar not null
);
