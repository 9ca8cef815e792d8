//! Hostile files: each gets its own clear error, and the warehouse does not change.

use std::path::PathBuf;

use rexian::generate::Format;

use super::util::*;

/// Everything a refused file must leave as it was.
fn state(t: &TestWs) -> (String, i64, i64) {
    (
        t.content_hash(),
        t.count("select count(*) from load_ledger"),
        t.count("select count(*) from load_rejects"),
    )
}

fn good_header() -> Vec<String> {
    [
        "工单编号",
        "受理时间",
        "所属区县",
        "诉求内容",
        "办理状态",
        "办结时间",
    ]
    .map(String::from)
    .to_vec()
}

fn row(id: &str, accepted: &str, content: &str) -> Vec<String> {
    vec![
        id.into(),
        accepted.into(),
        "邹城市".into(),
        content.into(),
        "办理中".into(),
        String::new(),
    ]
}

#[test]
fn each_hostile_file_is_refused_with_its_own_error() {
    let t = TestWs::new();
    let dir = t.dir.path().join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let good = generate(
        &t.dir.path().join("good"),
        "2024-01",
        "2024-01",
        80,
        Format::Xlsx,
        21,
    );
    t.load(&good);
    let before = state(&t);

    let mut cases: Vec<(PathBuf, &str)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>, expect: &'static str| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        cases.push((p, expect));
    };
    add("empty.csv", vec![], "the file is empty");
    let garbage: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    add("garbage.csv", garbage, "not a CSV or XLSX extract");
    let xlsx = std::fs::read(&good[0]).unwrap();
    add(
        "truncated.xlsx",
        xlsx[..xlsx.len() / 2].to_vec(),
        "truncated or damaged",
    );
    add(
        "headers_only.csv",
        "工单编号,受理时间,所属区县,诉求内容,办理状态\r\n".into(),
        "no data rows",
    );
    add(
        "no_header.csv",
        "单号,时刻,地方,说明\nA1,2024-01-05,兖州,xx\n".into(),
        "no header row found",
    );
    add(
        "wrong_headers.csv",
        "工单编号,受理时,所属区县,诉求内容,办理状态\nA1,2024-01-05 08:00:00,兖州区,路灯,办理中\n"
            .into(),
        "\"受理时\" is the closest",
    );

    let long = "长".repeat(100_000);
    let p = dir.join("long_line_2024-01.csv");
    write_csv(
        &p,
        &good_header(),
        &[row("L1", "2024-01-05 08:00:00", &long)],
    );
    cases.push((p, "over the limit"));
    let mut raw = "工单编号,受理时间,所属区县,诉求内容,办理状态\n".to_string();
    raw.push_str(&"x".repeat(100_000));
    raw.push('\n');
    let p = dir.join("long_garbage_line.csv");
    std::fs::write(&p, raw).unwrap();
    cases.push((p, "looks cut short"));

    let p = dir.join("dup_conflict_2024-01.csv");
    let mut a = row("DUP1", "2024-01-05 08:00:00", "路灯不亮");
    let mut b = a.clone();
    a[4] = "办理中".into();
    b[4] = "已延期".into();
    write_csv(&p, &good_header(), &[a, b]);
    cases.push((p, "appears in rows 2, 3"));

    let p = dir.join("impossible_dates_2024-01.csv");
    write_csv(
        &p,
        &good_header(),
        &[
            row("X1", "2024-02-30 10:00:00", "a"),
            row("X2", "2024-13-01", "b"),
            {
                let mut r = row("X3", "2024-01-05 10:00:00", "c");
                r[5] = "2024-01-04 09:00:00".into();
                r
            },
        ],
    );
    cases.push((p, "no such day"));

    for (path, expect) in &cases {
        let out = t.load(std::slice::from_ref(path));
        let err = refused(&out[0]);
        assert!(
            err.contains(expect),
            "{}: expected {expect:?} in:\n{err}",
            path.display()
        );
        assert!(
            err.contains(&path.file_name().unwrap().to_string_lossy().to_string()),
            "error names the file: {err}"
        );
        assert_eq!(
            state(&t),
            before,
            "{} changed the warehouse",
            path.display()
        );
    }
    // The impossible-dates file lists each row's own reason.
    let err = refused(&t.load(&[dir.join("impossible_dates_2024-01.csv")])[0]);
    assert!(
        err.contains("row 3") && err.contains("\"2024-13-01\""),
        "{err}"
    );
    assert!(
        err.contains("row 4, column 办结时间") && err.contains("is before 受理时间"),
        "{err}"
    );
}

#[test]
fn bad_rows_are_rejected_with_file_row_column_and_reason_and_the_rest_load() {
    let t = TestWs::new();
    let p = t.dir.path().join("mixed_2024-01.csv");
    let mut bad_region = row("M2", "2024-01-05 09:00:00", "来电人电话13812345678反映噪音");
    bad_region[2] = "火星区".into();
    write_csv(
        &p,
        &good_header(),
        &[
            row("M1", "2024-01-05 08:00:00", "路灯不亮"),
            bad_region,
            row("M3", "", "x"),
        ],
    );
    let s = loaded(&t.load(&[p])[0]).clone();
    assert_eq!((s.rows_read, s.inserted, s.rejected), (3, 1, 2));
    let csv = std::fs::read_to_string(s.rejects_csv.unwrap()).unwrap();
    assert!(
        csv.contains("mixed_2024-01.csv,3,所属区县") && csv.contains("火星区"),
        "{csv}"
    );
    assert!(csv.contains(",4,受理时间,"), "{csv}");
    assert!(
        !csv.contains("13812345678") && csv.contains("[电话]"),
        "rejected rows are masked too: {csv}"
    );
    assert_eq!(
        t.count("select count(*) from load_rejects where file_name = 'mixed_2024-01.csv'"),
        2
    );
}
