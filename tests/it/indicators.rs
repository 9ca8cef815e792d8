//! The indicator system on a hand-built fixture: every figure below was worked out by hand
//! from the tickets in `fixture()`, with the official calendar of May 2024 (1–5 May off,
//! Saturday 11 May a 调休 working day) written beside them.
//!
//! Working-day numbers used in the comments: 29 Apr = w1, 30 Apr = w2, 6 May = w3, 7 = w4,
//! 8 = w5, 9 = w6, 10 = w7, 11 (Sat, 调休) = w8, 13 = w9, 14 = w10, 15 = w11, 16 = w12,
//! 17 = w13, 20 = w14, 21 = w15, 22 = w16, 23 = w17, 24 = w18, 27 = w19, 28 = w20,
//! 29 = w21, 30 = w22. Handling time = close wN − dispatch wN.

use std::process::Command;

use super::util::*;

const HEADER: [&str; 24] = [
    "工单编号",
    "受理时间",
    "诉求标题",
    "诉求内容",
    "联系电话",
    "所属区县",
    "事发地址",
    "诉求分类",
    "是否涉及行政执法",
    "执法领域",
    "承办单位",
    "派单时间",
    "签收时间",
    "应办结时间",
    "办结时间",
    "办理状态",
    "延期次数",
    "退单次数",
    "退单单位",
    "是否解决",
    "回访时间",
    "回访满意度",
    "重办",
    "诉求类型",
];

const U: &str = "兖州区综合行政执法局";
const M: &str = "兖州区市场监督管理局";
const S: &str = "兖州区农业农村局";
const R: &str = "任城区综合行政执法局";
const W: &str = "兖州区交通运输局";
const E: &str = "济宁市生态环境局兖州区分局";

#[rustfmt::skip]
fn fixture() -> Vec<Vec<String>> {
    // id, accepted, title, phone, region, address, category, enforcement?, field, department,
    // dispatched, signed, due, closed, status, extensions, returns, returned by, resolved,
    // callback, satisfaction, reopened
    let rows: Vec<[&str; 22]> = vec![
        // U1: no deadline given → 5 working days from w3 = w8, the 调休 Saturday 11 May.
        // Closed w7 → 4 days, on time.
        ["U1", "2024-05-06 09:00:00", "占道经营", "13800000001", "兖州区", "兖州区鼓楼街道建设路1号", "城乡建设/城市管理/占道经营", "是", "", U,
         "2024-05-06 09:30:00", "2024-05-06 10:00:00", "", "2024-05-10 16:00:00", "已办结", "0", "0", "", "已解决", "2024-05-11 10:00:00", "满意", "否"],
        // U2: signed 25 h after dispatch (late); derived due w5+5 = w10 (14 May); closed w10 → 5.
        ["U2", "2024-05-08 09:00:00", "违规设置户外广告", "13800000002", "兖州区", "兖州区鼓楼街道建设路2号", "城乡建设/市容环境/户外广告", "是", "", U,
         "2024-05-08 10:00:00", "2024-05-09 11:00:00", "", "2024-05-14 15:00:00", "已办结", "0", "0", "", "部分解决", "2024-05-15 10:00:00", "基本满意", "否"],
        // U3: accepted in April, closed in May; the Labour Day holiday inside the deadline:
        // w1+5 = w6 (9 May). Closed w6 → 5. Unsatisfied callback, reopened.
        ["U3", "2024-04-29 10:00:00", "流动摊贩占道", "13800000003", "兖州区", "兖州区鼓楼街道建设路3号", "城乡建设/城市管理/流动摊贩", "是", "", U,
         "2024-04-29 10:30:00", "2024-04-29 11:00:00", "", "2024-05-09 17:00:00", "已办结", "0", "0", "", "已解决", "2024-05-10 10:00:00", "不满意", "是"],
        // U4: one extension, deadline given 31 May; closed w22 from w9 → 13.
        ["U4", "2024-05-13 09:00:00", "渣土车沿路撒漏", "13800000004", "兖州区", "兖州区鼓楼街道建设路4号", "城乡建设/市容环境/渣土撒漏", "是", "综合行政执法(城市管理)", U,
         "2024-05-13 09:30:00", "2024-05-13 09:40:00", "2024-05-31 18:00:00", "2024-05-30 10:00:00", "已办结", "1", "0", "", "已解决", "2024-05-31 10:00:00", "满意", "否"],
        // U5: closed after its deadline (w14 → w20: 6), unresolved, unsatisfied.
        ["U5", "2024-05-20 09:00:00", "违章建筑", "13800000005", "兖州区", "兖州区鼓楼街道建设路5号", "城乡建设/违法建设/私搭乱建", "是", "", U,
         "2024-05-20 09:30:00", "2024-05-20 10:00:00", "2024-05-27 23:59:59", "2024-05-28 09:00:00", "已办结", "0", "0", "", "未解决", "2024-05-29 10:00:00", "不满意", "否"],
        // U6: still open; due 3 June, before the extract's moment (5 June): overdue in June.
        ["U6", "2024-05-27 09:00:00", "夜间噪音", "13800000006", "兖州区", "兖州区鼓楼街道建设路6号", "城乡建设/城市管理/噪音扰民", "是", "", U,
         "2024-05-27 09:30:00", "2024-05-27 09:45:00", "2024-06-03 23:59:59", "", "办理中", "0", "0", "", "", "", "", "否"],
        // U7: returned twice by two departments → 需协调争议解决. w10 → w15: 5.
        ["U7", "2024-05-14 09:00:00", "小区绿地被占用", "13800000007", "兖州区", "兖州区鼓楼街道建设路7号", "城乡建设/违法建设/小区内私搭乱建", "是", "", U,
         "2024-05-14 09:30:00", "2024-05-14 10:00:00", "2024-05-21 23:59:59", "2024-05-21 11:00:00", "已办结", "0", "2", "兖州区市场监督管理局、兖州区人民政府", "已解决", "2024-05-22 10:00:00", "满意", "否"],
        // U8: a major-incident word → 重大. w11 → w16: 5.
        ["U8", "2024-05-15 09:00:00", "反映城管执法人员暴力执法", "13800000008", "兖州区", "兖州区鼓楼街道建设路8号", "城乡建设/城市管理/执法行为", "是", "", U,
         "2024-05-15 09:30:00", "2024-05-15 10:00:00", "2024-05-22 23:59:59", "2024-05-22 10:00:00", "已办结", "0", "0", "", "已解决", "2024-05-23 10:00:00", "满意", "否"],
        // UA1: April, for 环比. 8 Apr → 12 Apr: 4.
        ["UA1", "2024-04-08 09:00:00", "占道经营", "13800000009", "兖州区", "兖州区鼓楼街道建设路9号", "城乡建设/城市管理/占道经营", "是", "", U,
         "2024-04-08 09:30:00", "2024-04-08 10:00:00", "2024-04-15 23:59:59", "2024-04-12 10:00:00", "已办结", "0", "0", "", "已解决", "2024-04-13 10:00:00", "满意", "否"],
        // UY1: May 2023, for 同比.
        ["UY1", "2023-05-15 09:00:00", "占道经营", "13800000010", "兖州区", "兖州区鼓楼街道建设路10号", "城乡建设/城市管理/占道经营", "是", "", U,
         "2023-05-15 09:30:00", "2023-05-15 10:00:00", "2023-05-22 23:59:59", "2023-05-16 10:00:00", "已办结", "0", "0", "", "已解决", "2023-05-17 10:00:00", "满意", "否"],
        // M1: w3 → w4: 1.
        ["M1", "2024-05-06 10:00:00", "商家价格欺诈", "13800000011", "兖州区", "兖州区龙桥街道和平路1号", "市场监管/价格监管/价格欺诈", "是", "市场监管", M,
         "2024-05-06 10:30:00", "2024-05-06 11:00:00", "2024-05-13 23:59:59", "2024-05-07 10:00:00", "已办结", "0", "0", "", "已解决", "2024-05-08 10:00:00", "满意", "否"],
        // M2: the same caller as M1 within 30 days → 重复诉求. w14 → w16: 2.
        ["M2", "2024-05-20 10:00:00", "商家价格欺诈", "13800000011", "兖州区", "兖州区龙桥街道和平路2号", "市场监管/价格监管/价格欺诈", "是", "市场监管", M,
         "2024-05-20 10:30:00", "2024-05-20 11:00:00", "2024-05-27 23:59:59", "2024-05-22 10:00:00", "已办结", "0", "0", "", "已解决", "2024-05-23 10:00:00", "基本满意", "否"],
        // M3: M1's address and category again, 14 days after M1 was closed → 重复诉求 and
        // 屡次不改. Open past its deadline (28 May): overdue in May.
        ["M3", "2024-05-21 09:00:00", "商家价格欺诈", "13800000012", "兖州区", "兖州区龙桥街道和平路1号", "市场监管/价格监管/价格欺诈", "是", "市场监管", M,
         "2024-05-21 09:30:00", "2024-05-21 10:00:00", "2024-05-28 23:59:59", "", "办理中", "0", "0", "", "", "", "", "否"],
        // M4: signed 48.5 h late; returned once; w16 → w21: 5; unsatisfied.
        ["M4", "2024-05-22 09:00:00", "超市销售过期食品", "13800000013", "兖州区", "兖州区龙桥街道和平路4号", "市场监管/食品安全/过期食品", "是", "市场监管", M,
         "2024-05-22 09:30:00", "2024-05-24 10:00:00", "2024-05-29 23:59:59", "2024-05-29 09:00:00", "已办结", "0", "1", "兖州区综合行政执法局", "已解决", "2024-05-30 10:00:00", "不满意", "否"],
        // S1, S2: a department with 2 callbacks, both 满意, every figure perfect.
        ["S1", "2024-05-07 09:00:00", "农药销售不规范", "13800000014", "兖州区", "兖州区新兖镇幸福村1号", "农业农村/农资/农药销售", "是", "农业农村", S,
         "2024-05-07 09:30:00", "2024-05-07 10:00:00", "2024-05-14 23:59:59", "2024-05-08 09:00:00", "已办结", "0", "0", "", "已解决", "2024-05-09 10:00:00", "满意", "否"],
        ["S2", "2024-05-09 09:00:00", "种子质量问题", "13800000015", "兖州区", "兖州区新兖镇幸福村2号", "农业农村/农资/种子质量", "是", "农业农村", S,
         "2024-05-09 09:30:00", "2024-05-09 10:00:00", "2024-05-16 23:59:59", "2024-05-10 09:00:00", "已办结", "0", "0", "", "已解决", "2024-05-11 10:00:00", "满意", "否"],
        // R1, R2: another region. w3 → w9: 6; w7 → w12: 5. R2 was not called back (未回访).
        ["R1", "2024-05-06 09:00:00", "占道经营", "13800000016", "任城区", "任城区古槐街道红星路1号", "城乡建设/城市管理/占道经营", "是", "", R,
         "2024-05-06 09:30:00", "2024-05-06 10:00:00", "2024-05-13 23:59:59", "2024-05-13 17:00:00", "已办结", "0", "0", "", "已解决", "2024-05-14 10:00:00", "满意", "否"],
        ["R2", "2024-05-10 09:00:00", "渣土撒漏", "13800000017", "任城区", "任城区古槐街道红星路2号", "城乡建设/市容环境/渣土撒漏", "是", "", R,
         "2024-05-10 09:30:00", "2024-05-10 10:00:00", "2024-05-17 23:59:59", "2024-05-16 17:00:00", "已办结", "0", "0", "", "已解决", "2024-05-17 10:00:00", "未回访", "否"],
        // K1: enforcement not stated, a street office: the keyword 油烟 makes it 城市管理.
        // w12 → w13: 1.
        ["K1", "2024-05-16 09:00:00", "楼下餐饮油烟扰民", "13800000018", "兖州区", "兖州区鼓楼街道文化路1号", "", "", "", "鼓楼街道办事处",
         "2024-05-16 09:30:00", "2024-05-16 10:00:00", "2024-05-23 23:59:59", "2024-05-17 10:00:00", "已办结", "0", "0", "", "已解决", "2024-05-18 10:00:00", "满意", "否"],
        // E1: no callback at all: satisfaction has no denominator. w9 → w11: 2.
        ["E1", "2024-05-13 09:00:00", "工厂夜间排放废气", "13800000019", "兖州区", "兖州区酒仙桥街道工业路1号", "环境保护/大气污染/废气排放", "是", "", E,
         "2024-05-13 09:30:00", "2024-05-13 10:00:00", "2024-05-20 23:59:59", "2024-05-15 10:00:00", "已办结", "0", "0", "", "已解决", "", "", "否"],
        // N1: not enforcement-related: in no indicator.
        ["N1", "2024-05-08 09:00:00", "计划停电咨询", "13800000020", "兖州区", "兖州区鼓楼街道建设路20号", "供电/停电/计划停电", "否", "", "兖州区供电公司",
         "2024-05-08 09:30:00", "2024-05-08 10:00:00", "2024-05-15 23:59:59", "2024-05-09 10:00:00", "已办结", "0", "0", "", "已解决", "2024-05-10 10:00:00", "满意", "否"],
    ];
    let mut out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut v: Vec<String> = r.iter().map(|s| s.to_string()).collect();
            v.insert(3, format!("来电反映{}。", r[2])); // 诉求内容
            v.push("投诉".into()); // 诉求类型
            v
        })
        .collect();
    // W01–W40: one department with 40 identical, perfect appeals closed the day they came
    // (0 working days), each with its own caller and address.
    for i in 1..=40 {
        out.push(vec![
            format!("W{i:02}"), format!("2024-05-13 08:{:02}:00", i - 1), "出租车拒载".into(),
            "来电反映出租车拒载。".into(), format!("139000000{i:02}"), "兖州区".into(),
            format!("兖州区兴隆庄街道站前路{i}号"), "交通运输/出租车/拒载绕路".into(), "是".into(),
            "交通运输".into(), W.into(), "2024-05-13 09:30:00".into(), "2024-05-13 09:40:00".into(),
            "2024-05-20 23:59:59".into(), "2024-05-13 16:00:00".into(), "已办结".into(), "0".into(),
            "0".into(), "".into(), "已解决".into(), "2024-05-14 10:00:00".into(), "满意".into(),
            "否".into(), "投诉".into(),
        ]);
    }
    out
}

/// A workspace with the fixture loaded (as of 5 June 2024, noon) and refreshed.
fn fixture_ws(extra_toml: &str) -> TestWs {
    let t = TestWs::new();
    if !extra_toml.is_empty() {
        // A partial rexian.toml: every other setting keeps its default.
        std::fs::write(t.root().join("rexian.toml"), extra_toml).unwrap();
    }
    let path = t.dir.path().join("fixture.csv");
    let header: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    write_csv(&path, &header, &fixture());
    let ws = rexian::config::Workspace::open(t.root()).unwrap();
    let opts = rexian::ingest::Options {
        encoding: rexian::ingest::EncodingChoice::Auto,
        as_of: Some(
            chrono::NaiveDate::from_ymd_opt(2024, 6, 5)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
        ),
        force: false,
        progress: false,
    };
    let mut loader = rexian::ingest::Loader::open(&ws, opts).unwrap();
    let outcomes = loader.load_all(&[path]).unwrap().0;
    assert_eq!(loaded(&outcomes[0]).inserted, 61);
    drop(loader);
    let out = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .arg("refresh")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

/// (numerator, denominator, value) of one indicator.
fn ind(
    db: &duckdb::Connection,
    period: &str,
    kind: &str,
    key: &str,
    indicator: &str,
) -> (Option<f64>, Option<f64>, Option<f64>) {
    db.query_row(
        "select numerator, denominator, value from mart_indicator_values \
         where period_key = ? and unit_kind = ? and unit_key = ? and indicator = ?",
        [period, kind, key, indicator],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap_or_else(|e| panic!("{period} {kind} {key} {indicator}: {e}"))
}

fn ratio(n: f64, d: f64) -> (Option<f64>, Option<f64>, Option<f64>) {
    (Some(n), Some(d), Some(n / d))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn every_indicator_matches_the_hand_calculation() {
    let t = fixture_ws("");
    let db = t.db();
    let may = |kind: &str, key: &str, i: &str| ind(&db, "2024-05", kind, key, i);

    // 全市, May 2024. Volume: 17 named appeals accepted in May (U3 came in April, N1 is not
    // enforcement-related) + 40 W = 57.
    assert_eq!(
        may("city", "全市", "volume"),
        (Some(57.0), None, Some(57.0))
    );
    // Signing: 57 dispatched in May; U2 (25 h) and M4 (48.5 h) late.
    assert_eq!(may("city", "全市", "sign_rate"), ratio(55.0, 57.0));
    // Due in May: U1 U2 U3 U4 U5 U7 U8, M1–M4, S1 S2, R1 R2, K1, E1 and the 40 W = 57
    // (U6 falls due in June). Not closed by the deadline: U5 (late), M3 (still open).
    assert_eq!(may("city", "全市", "on_time_rate"), ratio(55.0, 57.0));
    assert_eq!(may("city", "全市", "overdue_rate"), ratio(2.0, 57.0));
    // Closed in May: 16 named + 40 W. Working days: U 4+5+5+13+6+5+5 = 43, M 1+2+5 = 8,
    // S 1+1, R 6+5, K1 1, E1 2, W 0 each: 67 in all.
    assert_eq!(may("city", "全市", "handling_days_mean"), ratio(67.0, 56.0));
    // Sorted: 40 zeros first, so the 28th and 29th values are both 0.
    assert_eq!(
        may("city", "全市", "handling_days_median"),
        (Some(0.0), Some(56.0), Some(0.0))
    );
    assert_eq!(may("city", "全市", "extension_rate"), ratio(1.0, 56.0)); // U4
    assert_eq!(may("city", "全市", "return_rate"), ratio(2.0, 57.0)); // U7, M4
                                                                      // 已解决 among closed: all but U2 (部分解决) and U5 (未解决).
    assert_eq!(may("city", "全市", "resolution_rate"), ratio(54.0, 56.0));
    // Valid callbacks in May: U 7 (U3's came 10 May), M 3, S 2, R1, K1, W 40 = 54 (R2 未回访,
    // E1 none). Satisfied: U 5, M 2, S 2, R1, K1, W 40 = 51; strictly 满意: 4+1+2+1+1+40 = 49.
    assert_eq!(may("city", "全市", "satisfaction_rate"), ratio(51.0, 54.0));
    assert_eq!(
        may("city", "全市", "satisfaction_strict_rate"),
        ratio(49.0, 54.0)
    );
    assert_eq!(may("city", "全市", "reopen_rate"), ratio(1.0, 56.0)); // U3
    assert_eq!(may("city", "全市", "repeat_rate"), ratio(2.0, 57.0)); // M2 (caller), M3 (subject)

    // 兖州区综合行政执法局 in May.
    assert_eq!(may("department", U, "volume").2, Some(7.0));
    assert_eq!(may("department", U, "sign_rate"), ratio(6.0, 7.0));
    assert_eq!(may("department", U, "on_time_rate"), ratio(6.0, 7.0));
    assert_eq!(may("department", U, "overdue_rate"), ratio(1.0, 7.0));
    assert_eq!(may("department", U, "handling_days_mean"), ratio(43.0, 7.0));
    // 4 5 5 5 5 6 13 → 5.
    assert_eq!(may("department", U, "handling_days_median").2, Some(5.0));
    assert_eq!(may("department", U, "extension_rate"), ratio(1.0, 7.0));
    assert_eq!(may("department", U, "return_rate"), ratio(1.0, 7.0));
    assert_eq!(may("department", U, "resolution_rate"), ratio(5.0, 7.0));
    assert_eq!(may("department", U, "satisfaction_rate"), ratio(5.0, 7.0));
    assert_eq!(
        may("department", U, "satisfaction_strict_rate"),
        ratio(4.0, 7.0)
    );
    assert_eq!(may("department", U, "reopen_rate"), ratio(1.0, 7.0));
    assert_eq!(may("department", U, "repeat_rate"), ratio(0.0, 7.0));

    // 兖州区市场监督管理局 in May.
    assert_eq!(may("department", M, "sign_rate"), ratio(3.0, 4.0));
    assert_eq!(may("department", M, "on_time_rate"), ratio(3.0, 4.0));
    assert_eq!(may("department", M, "handling_days_mean"), ratio(8.0, 3.0));
    assert_eq!(may("department", M, "handling_days_median").2, Some(2.0));
    assert_eq!(may("department", M, "return_rate"), ratio(1.0, 4.0));
    assert_eq!(may("department", M, "satisfaction_rate"), ratio(2.0, 3.0));
    assert_eq!(may("department", M, "repeat_rate"), ratio(2.0, 4.0));

    // Regions and fields.
    assert_eq!(may("region", "兖州区", "volume").2, Some(55.0));
    assert_eq!(
        may("region", "兖州区", "handling_days_mean"),
        ratio(56.0, 54.0)
    );
    assert_eq!(
        may("region", "兖州区", "satisfaction_rate"),
        ratio(50.0, 53.0)
    );
    assert_eq!(may("region", "任城区", "handling_days_median").2, Some(5.5));
    assert_eq!(
        may("region", "任城区", "satisfaction_rate"),
        ratio(1.0, 1.0)
    );
    // 城市管理: U's 7, R1 R2 (by their department) and K1 (by the keyword 油烟).
    assert_eq!(
        may("field", "综合行政执法(城市管理)", "volume").2,
        Some(10.0)
    );
    assert_eq!(may("field", "交通运输", "volume").2, Some(40.0));

    // Zero denominators are NULL, never 0 %: E1's department has no callback.
    assert_eq!(
        may("department", E, "satisfaction_rate"),
        (Some(0.0), Some(0.0), None)
    );
    // June: nothing accepted, U6 fell due on 3 June and is still open.
    let june = |i: &str| ind(&db, "2024-06", "city", "全市", i);
    assert_eq!(june("volume").2, Some(0.0));
    assert_eq!(june("repeat_rate").2, None);
    assert_eq!(june("on_time_rate"), ratio(0.0, 1.0));
    assert_eq!(june("overdue_rate"), ratio(1.0, 1.0));

    // Longer periods add up the months: April has U3 and UA1, May 2023 has UY1.
    assert_eq!(ind(&db, "2024Q2", "city", "全市", "volume").2, Some(59.0));
    assert_eq!(
        ind(&db, "PY2023-24", "city", "全市", "volume").2,
        Some(59.0)
    );
    assert_eq!(ind(&db, "2023", "city", "全市", "volume").2, Some(1.0));
    assert_eq!(
        ind(&db, "2024-04", "department", U, "handling_days_mean").2,
        Some(4.0)
    );

    // 环比 and 同比: counts change relatively, rates by percentage points.
    let (prev, yoy, change_prev, change_yoy): (f64, f64, f64, f64) = db
        .query_row(
            "select value_prev, value_yoy, change_prev, change_yoy from mart_indicator_values \
             where period_key = '2024-05' and unit_kind = 'city' and indicator = 'volume'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((prev, yoy), (2.0, 1.0));
    assert!(close(change_prev, 57.0 / 2.0 - 1.0) && close(change_yoy, 56.0));
    let sat_change: f64 = db
        .query_row(
            "select change_prev from mart_indicator_values where period_key = '2024-05' \
             and unit_kind = 'department' and unit_key = ? and indicator = 'satisfaction_rate'",
            [U],
            |r| r.get(0),
        )
        .unwrap();
    assert!(close(sat_change, 5.0 / 7.0 - 1.0), "{sat_change}");

    // The facts behind them.
    let fact = |id: &str| -> (String, bool, bool, bool) {
        db.query_row(
            "select strftime(due_at_effective, '%Y-%m-%d %H:%M:%S'), is_repeat, is_recurrence, \
             is_overdue_open from fct_enforcement_appeals where ticket_id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
    };
    // The 调休 Saturday counts: without it U1 would be due on Monday 13 May.
    assert_eq!(fact("U1").0, "2024-05-11 23:59:59");
    assert_eq!(fact("U3").0, "2024-05-09 23:59:59");
    assert_eq!(
        fact("M2"),
        ("2024-05-27 23:59:59".into(), true, false, false)
    );
    assert_eq!(fact("M3"), ("2024-05-28 23:59:59".into(), true, true, true));
    assert!(fact("U6").3);
    let (source, field): (String, String) = db
        .query_row(
            "select enforcement_source, field_name from fct_enforcement_appeals where ticket_id = 'K1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (source.as_str(), field.as_str()),
        ("keyword", "综合行政执法(城市管理)")
    );
    assert_eq!(
        t.count("select count(*) from fct_enforcement_appeals where ticket_id = 'N1'"),
        0
    );
}

/// (score, rank_score, band, rank) of a department in May.
fn score(db: &duckdb::Connection, dept: &str) -> (Option<f64>, Option<f64>, String, Option<i64>) {
    db.query_row(
        "select score, rank_score, band, rank from mart_scores \
         where period_key = '2024-05' and unit_kind = 'department' and unit_key = ?",
        [dept],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

#[test]
fn two_perfect_callbacks_do_not_top_the_ranking() {
    // With the default minimum of 30 valid callbacks, S (2) and U (7) are 样本不足; W (40)
    // is the only department ranked.
    let t = fixture_ws("");
    let db = t.db();
    let s = score(&db, S);
    assert_eq!((s.2.as_str(), s.3), ("样本不足", None));
    // Every figure of S is perfect: each curve gives 100.
    assert!(close(s.0.unwrap(), 100.0), "{s:?}");
    let w = score(&db, W);
    assert_eq!((w.2.as_str(), w.3), ("优秀", Some(1)));
    assert_eq!(score(&db, E).2, "样本不足"); // no callback at all
    drop(db);

    // With a minimum of 2, S is ranked, but by the pessimistic ends of its Wilson intervals.
    // For n = 2, p = 1: lower = (1 + z²/4 − z·√(z²/16)) / (1 + z²/2) = 1 / 2.9208 = 0.34237,
    // below every rate curve's floor → 0; for p = 0 the upper end is 0.65763 → 0; only the
    // mean handling time (1 day → 100) scores: 办理效能 (0 + 0 + 100 + 0)/4 = 25, so
    // rank_score = 25 × 25/100 = 6.25.
    // W, n = 40, p = 1: lower = (1 + z²/80 − z·z/80)/(1 + z²/40) = 1/1.09604 = 0.912376;
    // p = 0: upper = 2·z²/80 / 1.09604 = 0.087624.
    //   响应 (sign 0.912376 → 0; return 0.087624 → 70.792) = 35.396
    //   办理效能 (on time 64.950, overdue 64.950, 0 days → 100, extension 56.188) = 71.522
    //   办理质量 (resolution 82.475, reopen 56.188, repeat 70.792) = 69.818
    //   群众满意 (satisfaction 41.584)
    //   rank_score = (530.94 + 1788.05 + 1745.45 + 1455.44)/100 = 55.1988
    let t = fixture_ws("\n[scoring]\nmin_callbacks = 2\n");
    let db = t.db();
    let s = score(&db, S);
    let w = score(&db, W);
    assert!((s.1.unwrap() - 6.25).abs() < 1e-6, "{s:?}");
    assert!((w.1.unwrap() - 55.1988).abs() < 1e-3, "{w:?}");
    assert_eq!(w.3, Some(1));
    assert!(s.3.unwrap() > 1, "{s:?}");
    assert_eq!(s.2, "优秀"); // its band still follows its own (raw) score
    let rules: String = db
        .query_row("select distinct rules_version from mart_scores", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(rules.starts_with('r'), "{rules}");
}

#[test]
fn grades_rules_and_actions_match_the_hand_calculation() {
    let t = fixture_ws("");
    let conn = t.db();
    let period =
        rexian::period::Period::resolve(&conn, &rexian::config::Config::default(), "2024-05")
            .unwrap();
    let f = rexian::analysis::grade(&conn, &period, "").unwrap();
    assert_eq!(f.rows.len(), 57);
    let ids = f.texts("ticket_id");
    let grade = f.texts("grade");
    let rule = f.texts("rule_fired");
    let action = f.texts("action");
    let of = |id: &str| {
        let i = ids.iter().position(|x| x == id).unwrap();
        (grade[i].as_str(), rule[i].as_str(), action[i].as_str())
    };
    assert_eq!(of("U8"), ("重大", "文本含“暴力执法”", "个案监督"));
    assert_eq!(of("U7"), ("需协调争议解决", "退单2次", "会商"));
    assert_eq!(of("M4").0, "一般"); // one return by one department is not enough
    assert_eq!(of("M4").2, "提醒函"); // unsatisfied
    assert_eq!(of("U5").2, "提醒函"); // late and unresolved
    assert_eq!(of("U6").2, "提醒函"); // open past its deadline
    assert_eq!(of("M3").2, "专项执法监督（屡次不改）");
    assert_eq!(of("U1"), ("一般", "未触发上述规则", "常规跟踪"));
    let count = |g: &str| grade.iter().filter(|x| *x == g).count();
    assert_eq!(
        (
            count("重大"),
            count("需协调争议解决"),
            count("普遍性执法问题"),
            count("一般")
        ),
        (1, 1, 0, 55)
    );
    drop(conn);

    // With the widespread rule at 2 regions × 1 appeal: 占道经营 (U1, R1) and 渣土撒漏 (U4,
    // R2) are in 兖州区 and 任城区.
    let t = fixture_ws("\n[grading]\nwidespread_regions = 2\nwidespread_orders_per_region = 1\n");
    let conn = t.db();
    let f = rexian::analysis::grade(&conn, &period, "").unwrap();
    let ids = f.texts("ticket_id");
    let grade = f.texts("grade");
    let mut wide: Vec<&str> = ids
        .iter()
        .zip(&grade)
        .filter(|(_, g)| *g == "普遍性执法问题")
        .map(|(i, _)| i.as_str())
        .collect();
    wide.sort();
    assert_eq!(wide, ["R1", "R2", "U1", "U4"]);
}

#[test]
fn analyses_of_the_fixture() {
    let t = fixture_ws("");
    let conn = t.db();
    let config = rexian::config::Config::default();
    let period = rexian::period::Period::resolve(&conn, &config, "2024-05").unwrap();
    let run = |name: &str| rexian::analysis::run(&conn, &config, name, &period, "").unwrap();

    // 热点: 拒载绕路 (40) first, then 价格欺诈 (M1 M2 M3).
    let hot = run("hot");
    assert_eq!(
        hot[0].texts("category")[..2],
        ["交通运输/出租车/拒载绕路", "市场监管/价格监管/价格欺诈"]
    );
    assert_eq!(hot[0].texts("appeals")[..2], ["40", "3"]);
    // The phrase of the 40 appeals, not the fragment 出租车.
    assert!(
        hot[1].texts("keyword")[0].contains("出租车"),
        "{:?}",
        hot[1].texts("keyword")
    );
    assert_eq!(hot[2].texts("category").len(), 2 + 2 + 2); // 2 examples × top 3
                                                           // 占道经营: U1 and R1 in May, UA1 in April (上期) → growth 100 %.
    let i = hot[0]
        .texts("category")
        .iter()
        .position(|c| c == "城乡建设/城市管理/占道经营")
        .unwrap();
    assert_eq!(hot[0].texts("appeals")[i], "2");
    assert_eq!(hot[0].texts("appeals_prev")[i], "1");
    assert_eq!(hot[0].texts("growth")[i], "1");
    assert!(hot[0].percent.contains("growth") && hot[0].percent.contains("share"));
    // A region's hot list is counted in that region alone (R1 and R2, one each), and its
    // examples are its own appeals.
    let hot_r = rexian::analysis::run(&conn, &config, "hot", &period, "任城区").unwrap();
    assert_eq!(hot_r[0].texts("appeals"), ["1", "1"]);
    assert_eq!(hot_r[0].texts("share"), ["0.5", "0.5"]);
    assert_eq!(hot_r[0].texts("appeals_prev"), ["0", "0"]);
    let mut examples = hot_r[2].texts("ticket_id");
    examples.sort();
    assert_eq!(examples, ["R1", "R2"]);
    assert_eq!(hot[0].headers()[..3], ["排名", "诉求分类", "件数"]);
    // The 上期 of a run of twelve months is the twelve months before it.
    let prev: i64 = conn
        .query_row(
            "select count(*) filter (where in_prev) from dim_period_month \
             where period_key = '2023-06..2024-05'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(prev, 12);
    // A month's trend charts read the twelve months up to it.
    let trend: Vec<String> = {
        let mut s = conn
            .prepare(
                "select strftime(month, '%Y-%m') from dim_period_month \
                 where period_key = '2024-05' and in_trend order by month",
            )
            .unwrap();
        let months = s.query_map([], |r| r.get(0)).unwrap();
        months.map(Result::unwrap).collect()
    };
    assert_eq!(trend.len(), 12);
    assert_eq!(
        (trend[0].as_str(), trend[11].as_str()),
        ("2023-06", "2024-05")
    );

    // 会商研判: U7's category, returned by two departments, closed by U.
    let d = &run("disputes")[0];
    let cats = d.texts("category");
    let i = cats
        .iter()
        .position(|c| c == "城乡建设/违法建设/小区内私搭乱建")
        .unwrap();
    assert_eq!(
        d.texts("returned_by")[i],
        "兖州区人民政府(1)、兖州区市场监督管理局(1)"
    );
    assert_eq!(d.texts("lead_candidate")[i], U);

    // 重点督办: U8 (重大) and M3 (屡次不改, after M1).
    let s = &run("supervision")[0];
    assert_eq!(s.texts("ticket_id"), ["U8", "M3"]);
    assert_eq!(s.texts("recurrence_of")[1], "M1");

    // 监督重点: complaints by field — 交通运输 40, then 城市管理 (U's 7 + R's 2 + K1).
    let f = &run("focus")[0];
    assert_eq!(f.texts("item")[..2], ["交通运输", "综合行政执法(城市管理)"]);
    assert_eq!(f.texts("complaints")[..2], ["40", "10"]);

    // An unknown analysis and an unknown period say what exists.
    let e = rexian::analysis::run(&conn, &config, "gossip", &period, "").unwrap_err();
    assert!(format!("{e:#}").contains("pilot-effect"), "{e:#}");
    let e = rexian::period::Period::resolve(&conn, &config, "2031-01").unwrap_err();
    assert!(format!("{e:#}").contains("2023-05 … 2024-06"), "{e:#}");
}

#[test]
fn indicators_export_as_table_csv_json_xlsx_and_the_push_list_as_parquet() {
    let t = fixture_ws("");
    // Table: rates as percentages, a missing value as "—".
    let out = t.run(&["indicators", "--period", "2024-05", "--by", "department"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e_line = text.lines().find(|l| l.contains(E)).unwrap();
    assert!(
        e_line.contains('—') && e_line.contains("样本不足"),
        "{e_line}"
    );
    let w_line = text.lines().find(|l| l.contains(W)).unwrap();
    assert!(
        w_line.contains("100.00%") && w_line.contains("优秀"),
        "{w_line}"
    );

    // CSV for Excel: UTF-8 with BOM by default, GB18030 on request.
    let csv_path = t.dir.path().join("ind.csv");
    let out = t.run(&[
        "indicators",
        "--period",
        "2024-05",
        "--by",
        "region",
        "--format",
        "csv",
        "-o",
        csv_path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("排名,单位,诉求量"), "{text}");
    assert!(text.contains(",兖州区,55,"), "{text}");
    let gb_path = t.dir.path().join("ind-gb.csv");
    let out = t.run(&[
        "indicators",
        "--period",
        "2024-05",
        "--by",
        "region",
        "--format",
        "csv",
        "--csv-encoding",
        "gb18030",
        "-o",
        gb_path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let gb = std::fs::read(&gb_path).unwrap();
    let (decoded, _, bad) = encoding_rs::GB18030.decode(&gb);
    assert!(!bad && decoded.contains(",兖州区,55,"));

    // JSON: numbers as numbers, missing as null.
    let out = t.run(&[
        "indicators",
        "--period",
        "2024-05",
        "--by",
        "department",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = doc["rows"].as_array().unwrap();
    let e = rows.iter().find(|r| r["单位"] == E).unwrap();
    assert!(e["回访满意率"].is_null());
    let u = rows.iter().find(|r| r["单位"] == U).unwrap();
    assert!(close(u["按期办结率"].as_f64().unwrap(), 6.0 / 7.0));

    // XLSX, read back with calamine: rates are numbers formatted as percentages.
    let xlsx = t.dir.path().join("ind.xlsx");
    let out = t.run(&[
        "indicators",
        "--period",
        "2024-05",
        "--by",
        "department",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = header.iter().position(|h| h == "按期办结率").unwrap();
    let row = sheet.rows().find(|r| r[1] == U).unwrap();
    assert!(
        matches!(row[col], calamine::Data::Float(x) if close(x, 6.0 / 7.0)),
        "{:?}",
        row[col]
    );

    // The push list: XLSX and Parquet, one row per graded appeal of the month.
    let dir = t.dir.path().join("push");
    let out = t.run(&[
        "export",
        "push-list",
        "--period",
        "2024-05",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parquet = dir.join("2024年05月 12345热线执法诉求推送清单.parquet");
    let file = std::fs::File::open(&parquet).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut n = 0;
    for batch in reader {
        let batch = batch.unwrap();
        assert!(batch.schema().field_with_name("建议措施").is_ok());
        n += batch.num_rows();
    }
    assert_eq!(n, 57);
    assert!(dir
        .join("2024年05月 12345热线执法诉求推送清单.xlsx")
        .is_file());

    // Bad names say what exists.
    let out = t.run(&["indicators", "--period", "2024-13", "--by", "region"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("2023-05 … 2024-06"), "{err}");
    let out = t.run(&["indicators", "--period", "2024-05", "--region", "火星区"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("任城区") && err.contains("兖州区"), "{err}");
    let out = t.run(&["indicators", "--period", "2024-05", "--by", "street"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("department, region, field, city"));
}

#[test]
fn exports_are_the_same_bytes_every_time() {
    let t = fixture_ws("");
    let run = |dir: &str| {
        let dir = t.dir.path().join(dir);
        let out = t.run(&[
            "export",
            "push-list",
            "--period",
            "2024-05",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let x = std::fs::read(dir.join("2024年05月 12345热线执法诉求推送清单.xlsx")).unwrap();
        let p = std::fs::read(dir.join("2024年05月 12345热线执法诉求推送清单.parquet")).unwrap();
        (x, p)
    };
    let a = run("a");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = run("b");
    assert!(a.0 == b.0, "the XLSX push lists differ");
    assert!(a.1 == b.1, "the Parquet push lists differ");
}
