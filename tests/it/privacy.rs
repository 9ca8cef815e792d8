//! No phone number, ID number or caller name reaches the warehouse, the lake or the load
//! records in clear.

use std::collections::HashSet;
use std::path::Path;

use regex::Regex;
use rexian::generate::Format;

use super::util::*;

fn patterns() -> (Regex, Regex) {
    (
        Regex::new(r"(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)").unwrap(),
        Regex::new(r"[0-9]{17}[0-9Xx]").unwrap(),
    )
}

fn check_text(where_: &str, text: &str, names: &HashSet<String>) {
    let (phone, id) = patterns();
    assert!(!phone.is_match(text), "{where_}: phone number in {text:?}");
    assert!(!id.is_match(text), "{where_}: ID number in {text:?}");
    for n in names {
        assert!(
            !text.contains(n.as_str()),
            "{where_}: caller name {n} in {text:?}"
        );
    }
}

#[test]
fn no_personal_data_in_warehouse_lake_or_load_records() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-02",
        300,
        Format::Csv,
        31,
    );
    let mut names = HashSet::new();
    let mut phones_in_text = 0;
    for f in &files {
        let (h, rows) = read_csv(f);
        let name_col = h.iter().position(|c| c.starts_with("来电人")).unwrap();
        for r in &rows {
            if r[name_col].chars().count() >= 2 {
                names.insert(r[name_col].clone());
            }
            phones_in_text += usize::from(patterns().0.is_match(&r[5]));
        }
    }
    assert!(
        names.len() > 100 && phones_in_text > 20,
        "the sample carries personal data to mask"
    );
    t.load(&files);

    // Every text column of every table.
    let db = t.db();
    let mut stmt = db
        .prepare("select table_name, column_name from information_schema.columns where data_type = 'VARCHAR' and table_schema = 'main'")
        .unwrap();
    let cols: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(cols.iter().any(|c| c.1 == "content"));
    // Hex digests (keyed hashes, checksums) are not text anyone wrote.
    for (table, col) in cols
        .iter()
        .filter(|c| !c.1.ends_with("_hash") && !c.1.ends_with("sha256"))
    {
        let mut s = db
            .prepare(&format!(
                "select \"{col}\" from \"{table}\" where \"{col}\" is not null"
            ))
            .unwrap();
        for v in s.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            check_text(&format!("{table}.{col}"), &v.unwrap(), &names);
        }
    }
    let masked: i64 = db
        .query_row(
            "select count(*) from appeals where content like '%[电话]%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(masked > 20, "phones were masked, not dropped");
    drop(stmt);
    drop(db);

    // Every Parquet file, read independently of DuckDB, and every load record.
    for file in walk(&t.ws.lake_path()) {
        for value in super::lake::parquet_strings(&file)
            .into_iter()
            .filter(|v| !is_digest(v))
        {
            check_text(&file.display().to_string(), &value, &names);
        }
    }
    for file in walk(&t.ws.loads_path()) {
        check_text(
            &file.display().to_string(),
            &std::fs::read_to_string(&file).unwrap(),
            &names,
        );
    }
}

/// Every file under a folder.
pub fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A keyed hash (`n:…`, `p:…`) or an md5 digest: hex, not text anyone wrote.
fn is_digest(v: &str) -> bool {
    let hex = v
        .strip_prefix("n:")
        .or_else(|| v.strip_prefix("p:"))
        .unwrap_or(v);
    hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The texts of the issue that found third parties' names and plates stored in clear.
const THIRD_PARTIES: &[(&str, &[&str])] = &[
    ("市民反映商户老板王建国在店外占道经营", &["王建国"]),
    ("其邻居张秀英家装修噪音扰民", &["张秀英"]),
    (
        "出租车司机陈志强拒载，车牌鲁H12345",
        &["陈志强", "鲁H12345"],
    ),
    ("执法队员李强、孙海龙在执法时未穿制服", &["李强", "孙海龙"]),
    ("反映鲁H·D12345新能源网约车绕路", &["鲁H·D12345"]),
];

#[test]
fn third_parties_names_and_plates_reach_neither_warehouse_nor_lake() {
    let t = TestWs::new();
    let header: Vec<String> = [
        "工单编号",
        "受理时间",
        "所属区县",
        "诉求标题",
        "诉求内容",
        "事发地址",
        "办理状态",
    ]
    .map(String::from)
    .to_vec();
    let rows: Vec<Vec<String>> = THIRD_PARTIES
        .iter()
        .enumerate()
        .map(|(i, (text, _))| {
            vec![
                format!("T{i}"),
                "2024-03-05 08:05:00".into(),
                "任城区".into(),
                text.to_string(),
                text.to_string(),
                // An address that looks like a name, and a place a plate's letters could hide in.
                "任城区王庄村鲁A级景区东门".into(),
                "办理中".into(),
            ]
        })
        .collect();
    let path = t.dir.path().join("third_parties_2024-03.csv");
    write_csv(&path, &header, &rows);
    let s = loaded(&t.load(&[path])[0]).clone();
    assert_eq!((s.inserted, s.rejected), (THIRD_PARTIES.len() as u64, 0));

    let secrets: Vec<&str> = THIRD_PARTIES
        .iter()
        .flat_map(|(_, s)| s.iter().copied())
        .collect();
    let db = t.db();
    let mut stmt = db
        .prepare("select coalesce(title, '') || '|' || content || '|' || address from appeals order by ticket_id")
        .unwrap();
    let stored: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        stored[2],
        "出租车司机[姓名]拒载，车牌[车牌]|出租车司机[姓名]拒载，车牌[车牌]|任城区王庄村鲁A级景区东门",
        "the name and the plate are masked, the address's look-alikes are not"
    );
    assert_eq!(
        stored[0].split('|').nth(1),
        Some("市民反映商户老板[姓名]在店外占道经营")
    );
    assert_eq!(
        stored[3].split('|').nth(1),
        Some("执法队员[姓名]、[姓名]在执法时未穿制服")
    );
    drop(stmt);
    drop(db);
    for file in walk(&t.ws.lake_path()) {
        let values = super::lake::parquet_strings(&file);
        assert!(
            values.iter().any(|v| v.contains("[车牌]")),
            "{}",
            file.display()
        );
        for v in values {
            for secret in &secrets {
                assert!(!v.contains(secret), "{}: {secret} in {v:?}", file.display());
            }
        }
    }
}

#[test]
fn a_plate_left_in_clear_fails_the_privacy_check() {
    let t = sample_ws();
    t.db_rw()
        .execute(
            "update appeals set content = content || '，车牌鲁H5K6J7' where ticket_id = (select min(ticket_id) from appeals)",
            [],
        )
        .unwrap();
    let out = t.run(&["check"]);
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("appeals_no_personal_data"), "{text}");
}

/// The generator writes no third party into its texts, so the finders added for them must
/// change none of its texts: the demo's figures stay what they were.
#[test]
fn the_third_party_finders_leave_the_generators_texts_as_they_were() {
    use rexian::mask::{mask_text, mask_with, names::Finders};
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-03",
        2000,
        Format::Csv,
        7,
    );
    let mut compared = 0;
    for f in &files {
        let (h, rows) = read_csv(f);
        let col = |name: &str| h.iter().position(|c| c.starts_with(name)).unwrap();
        let (caller, texts) = (
            col("来电人"),
            [col("诉求标题"), col("诉求内容"), col("事发地址")],
        );
        for r in &rows {
            let known = Some(r[caller].as_str()).filter(|n| !n.is_empty());
            for &c in &texts {
                let now = mask_text(&r[c], known);
                assert_eq!(
                    now,
                    mask_with(&r[c], known, Finders::Introduced),
                    "{}",
                    r[c]
                );
                assert!(!now.contains("[车牌]"), "{}", r[c]);
                compared += 1;
            }
        }
    }
    assert!(compared > 18_000, "{compared}");
}

/// A warehouse loaded by an older release holds third parties' names and plates in clear;
/// `rexian remask` masks them in the warehouse and the lake, and then changes nothing more.
#[test]
fn remask_masks_what_an_older_release_stored_and_is_idempotent() {
    let t = sample_ws();
    let ticket: String = t
        .db()
        .query_row("select min(ticket_id) from appeals", [], |r| r.get(0))
        .unwrap();
    t.db_rw()
        .execute(
            "update appeals set content = content || '商户老板王建国拒不整改，车牌鲁H12345' where ticket_id = ?",
            [&ticket],
        )
        .unwrap();
    let before = t.run(&["check"]);
    assert_eq!(
        before.status.code(),
        Some(4),
        "the plate fails the check first"
    );

    let out = ok(&t.run(&["remask"]));
    assert!(out.contains("Masked again: 1 of "), "{out}");
    let content: String = t
        .db()
        .query_row(
            "select content from appeals where ticket_id = ?",
            [&ticket],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        content.ends_with("商户老板[姓名]拒不整改，车牌[车牌]"),
        "{content}"
    );
    ok(&t.run(&["check"]));
    let lake: Vec<String> = walk(&t.ws.lake_path())
        .iter()
        .flat_map(|f| super::lake::parquet_strings(f))
        .collect();
    assert!(lake.iter().any(|v| v.ends_with("车牌[车牌]")));
    assert!(!lake
        .iter()
        .any(|v| v.contains("王建国") || v.contains("鲁H12345")));

    let again = ok(&t.run(&["remask"]));
    assert!(again.contains("Masked again: 0 of "), "{again}");
    assert!(again.contains("lake months rewritten: none"), "{again}");
}

#[test]
fn model_evaluate_prints_the_figures_before_and_now() {
    let out = ok(&std::process::Command::new(bin())
        .args(["model", "evaluate"])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap());
    for expected in [
        "姓名 names",
        "车牌 plates",
        "引导词规则 before",
        "现行规则 now",
        "holdout4",
        "重大",
        "读句子 now",
        "领域 field urban",
        "built-in rules",
    ] {
        assert!(out.contains(expected), "{expected} missing from\n{out}");
    }
    assert!(
        out.contains("Every name the earlier rules caught is still caught."),
        "{out}"
    );
}

/// The masker and the load's privacy check must agree on what a plate is: a plate-like string
/// the masker leaves would make the check refuse the whole file.
#[test]
fn plate_like_strings_either_are_masked_or_pass_the_check() {
    let t = TestWs::new();
    let header: Vec<String> = ["工单编号", "受理时间", "所属区县", "诉求内容", "办理状态"]
        .map(String::from)
        .to_vec();
    let texts = [
        "反映鲁H12345挂A车厢超长",
        "反映鲁H123456X型号车辆",
        "反映鲁HD1234567号牌",
        "反映鲁h1234学教练车",
        "反映京A·1234车辆",
        "反映鲁H 1234挂半挂车",
        "反映苏E12345超载",
        "反映鲁H5K6J7J车",
        "反映鲁HA12B3C车",
        "反映浙B12345，",
        "车牌鲁H12345",
        "（鲁H12345）",
        "鲁A级景区鲁AB级",
        "鲁H·ABCDE",
        "鲁HI2345车",
    ];
    let rows: Vec<Vec<String>> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            vec![
                format!("P{i}"),
                "2024-03-05 08:05:00".into(),
                "任城区".into(),
                text.to_string(),
                "办理中".into(),
            ]
        })
        .collect();
    let path = t.dir.path().join("plates_2024-03.csv");
    write_csv(&path, &header, &rows);
    let s = loaded(&t.load(&[path])[0]).clone();
    assert_eq!((s.inserted, s.rejected), (texts.len() as u64, 0), "{s:?}");
    ok(&t.run(&["check"]));
    let masked = t.count("select count(*) from appeals where content like '%[车牌]%'");
    assert!(masked >= 9, "{masked} texts with a plate masked");
}
