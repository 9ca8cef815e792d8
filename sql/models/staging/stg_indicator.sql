-- The indicator system (行政执法效能群众满意度指标体系, DOMAIN.md §5): one row per indicator
-- with its Chinese name, unit, direction and formula, for tables, reports and the appendix.
-- short_name: the header of a report's table, where the full name would not fit on one line
-- (the appendix 指标口径 gives both).

select * from (values
    (1,  'volume',                   '诉求量',          '诉求量',      'count', 'none',   '受理时间在期内的涉及行政执法工单数'),
    (2,  'sign_rate',                '及时签收率',      '签收率',      'rate',  'higher', '派单后在签收时限内签收的工单数 ÷ 派单时间在期内的工单数'),
    (3,  'on_time_rate',             '按期办结率',      '办结率',      'rate',  'higher', '在应办结时间前办结的工单数 ÷ 应办结时间在期内的工单数'),
    (4,  'overdue_rate',             '超期率',          '超期率',      'rate',  'lower',  '应办结时间在期内而未按期办结（含期末仍未办结）的工单数 ÷ 应办结时间在期内的工单数'),
    (5,  'handling_days_mean',       '平均办理时长',    '平均时长',    'days',  'lower',  '办结时间在期内的工单从派单日到办结日的工作日数的平均值'),
    (6,  'handling_days_median',     '办理时长中位数',  '时长中位数',  'days',  'lower',  '同上，取中位数'),
    (7,  'extension_rate',           '延期率',          '延期率',      'rate',  'lower',  '延期 1 次以上的工单数 ÷ 办结时间在期内的工单数'),
    (8,  'return_rate',              '退单率',          '退单率',      'rate',  'lower',  '退单 1 次以上的工单数 ÷ 派单时间在期内的工单数'),
    (9,  'resolution_rate',          '问题解决率',      '解决率',      'rate',  'higher', '已解决 ÷（已解决 + 部分解决 + 未解决），按办结时间计'),
    (10, 'satisfaction_rate',        '回访满意率',      '满意率',      'rate',  'higher', '（满意 + 基本满意）÷ 有效回访数，按回访时间计'),
    (11, 'satisfaction_strict_rate', '满意率（严格）',  '严格满意率',  'rate',  'higher', '满意 ÷ 有效回访数'),
    (12, 'reopen_rate',              '重办率',          '重办率',      'rate',  'lower',  '重办的工单数 ÷ 办结时间在期内的工单数'),
    (13, 'repeat_rate',              '重复诉求率',      '重复率',      'rate',  'lower',  '同一来电人或同一地址同一分类在 30 日内已有诉求的工单数 ÷ 诉求量')
) as t(sort_order, indicator, indicator_name, short_name, unit, better, formula)
