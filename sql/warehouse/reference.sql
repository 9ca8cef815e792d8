-- Reference dimensions, rebuilt from data/reference on every load (the Rust side fills them
-- through appenders right after this runs).

create or replace table dim_region (
    region_code     varchar not null,  -- 行政区划代码
    region_name     varchar not null,  -- 区县名称
    region_kind     varchar not null,  -- 区/县/县级市/功能区
    is_pilot        boolean not null,  -- 试点单位
    population_10k  double             -- 2023 常住人口（万人）
);

create or replace table dim_region_alias (
    alias           varchar not null,
    region_code     varchar not null
);

create or replace table dim_field (
    field_code          varchar not null,
    field_name          varchar not null,  -- 执法领域
    department_suffix   varchar not null,
    keywords            varchar            -- words pointing to the field, joined by |
);

create or replace table dim_department (
    department_name varchar not null,  -- 执法部门
    region_code     varchar not null,
    field_code      varchar not null,
    aliases         varchar
);

create or replace table dim_holiday (
    date            date not null,
    kind            varchar not null,  -- holiday (放假) / workday (调休上班)
    name            varchar not null
);
