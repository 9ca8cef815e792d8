-- The lake's appeals as a view of the shell's in-memory `lake` catalog. The partitions' glob is
-- written in as a constant ({{partitions}}, a quoted literal): a view's read_parquet cannot take a
-- parameter.
create view lake.appeals as
select * from read_parquet({{partitions}}, hive_partitioning = true);
comment on view lake.appeals is '数据湖中的工单（Parquet 分区，截至最近一次完成的装载） — Appeals in the Parquet lake, as of the last completed load';
