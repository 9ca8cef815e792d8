//! The exchange with the hotline through the binary: pushes that are incremental and keep the
//! grade they sent, the office's opinions and grade corrections, the hotline's feedback
//! imported once (matched, unmatched, duplicated, refused), 件件有回音, and pushed rows changed
//! behind rexian's back found by `rexian case verify`.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::casework::{case, office, refused};
use super::util::{bin, ok, read_csv, write_csv, TestWs};

/// The columns of exchange format rexian-exchange/1 (docs/exchange.md), in order.
const COLUMNS: [&str; 15] = [
    "推送批次号",
    "格式版本",
    "工单编号",
    "受理时间",
    "区县",
    "承办单位",
    "诉求分类",
    "诉求标题",
    "分级",
    "分级依据",
    "督办意见",
    "意见来源",
    "督办事项编号",
    "状态",
    "推送类型",
];

/// Runs `rexian push …` as a staff member (None: as the login itself).
fn push(t: &TestWs, who: Option<&str>, args: &[&str]) -> Output {
    let mut c = std::process::Command::new(bin());
    c.arg("-w").arg(t.root()).arg("push").args(args);
    match who {
        Some(w) => c.env("REXIAN_TEST_STAFF", w),
        None => c.env_remove("REXIAN_TEST_STAFF"),
    };
    c.output().unwrap()
}

/// Sends a push of `period` into `dir`; the files it wrote (none when nothing was sent).
fn send(t: &TestWs, period: &str, dir: &Path) -> Vec<PathBuf> {
    let out = push(
        t,
        Some("张明"),
        &["send", "--period", period, "--out", dir.to_str().unwrap()],
    );
    ok(&out).lines().map(PathBuf::from).collect()
}

/// The rows of a push's CSV, by column name.
fn rows(files: &[PathBuf]) -> Vec<std::collections::BTreeMap<String, String>> {
    let csv = files
        .iter()
        .find(|f| f.extension().is_some_and(|x| x == "csv"))
        .expect("a CSV file");
    let (header, rows) = read_csv(csv);
    assert_eq!(header, COLUMNS);
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

fn year() -> String {
    chrono::Utc::now().format("%Y").to_string()
}

#[test]
fn pushes_send_only_what_changed_keep_the_grade_they_sent_and_are_verified() {
    let t = office();
    let out = t.root().join("out");
    let graded = t.count(
        "select count(distinct ticket_id) from mart_graded_appeals where period_key = '2024-03'",
    );
    assert!(graded > 10, "{graded}");

    // Only the staff push; the period and the county must exist.
    let e = refused(&push(&t, None, &["send", "--period", "2024-03"]));
    assert!(e.contains("not on the [casework] staff list"), "{e}");
    let e = refused(&push(
        &t,
        Some("张明"),
        &["send", "--period", "2024-03", "--county", "火星区"],
    ));
    assert!(e.contains("火星区") && e.contains("任城区"), "{e}");

    // The first push sends every graded item, new, in three formats carrying the same rows.
    let first = send(&t, "2024-03", &out);
    assert_eq!(first.len(), 3, "{first:?}");
    let push_no = format!("{}-P0001", year());
    assert!(
        first.iter().all(|f| f
            .to_string_lossy()
            .contains(&format!("12345热线推送 {push_no}"))),
        "{first:?}"
    );
    let sent = rows(&first);
    assert_eq!(sent.len() as i64, graded);
    assert!(sent.iter().all(|r| r["推送批次号"] == push_no
        && r["格式版本"] == "rexian-exchange/1"
        && r["推送类型"] == "新增"
        && r["分级依据"] == "推送时分级"
        && r["意见来源"] == "规则建议"));
    let parquet = first
        .iter()
        .find(|f| f.extension().is_some_and(|x| x == "parquet"))
        .unwrap();
    let in_parquet = t.count(&format!(
        "select count(*) from read_parquet('{}') where push_no = '{push_no}' \
         and format_version = 'rexian-exchange/1'",
        parquet.display()
    ));
    assert_eq!(in_parquet, graded);
    assert_eq!(
        t.count(&format!(
            "select count(*) from pushed_items where push_no = '{push_no}'"
        )),
        graded
    );

    // Nothing changed: nothing is sent, numbered or written.
    let again = push(
        &t,
        Some("张明"),
        &[
            "send",
            "--period",
            "2024-03",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(ok(&again).is_empty());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("nothing to push"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3);

    // The office's opinion on one item and a reviewer's correction of another's grade.
    let widespread: Vec<&str> = sent
        .iter()
        .filter(|r| r["分级"] == "普遍性执法问题")
        .map(|r| r["工单编号"].as_str())
        .collect();
    assert!(widespread.len() >= 2, "{widespread:?}");
    let (a, b) = (widespread[0], widespread[1]);
    ok(&push(
        &t,
        Some("张明"),
        &["opinion", a, "--note", "请于5个工作日内整改并反馈"],
    ));
    let e = refused(&push(
        &t,
        Some("张明"),
        &["regrade", b, "--grade", "重大", "--reason", "涉及人身安全"],
    ));
    assert!(e.contains("审核、负责人"), "{e}");
    let e = refused(&push(
        &t,
        Some("李华"),
        &["regrade", b, "--grade", "严重", "--reason", "x"],
    ));
    assert!(e.contains("重大") && e.contains("一般"), "{e}");
    ok(&push(
        &t,
        Some("李华"),
        &["regrade", b, "--grade", "重大", "--reason", "涉及人身安全"],
    ));
    let e = refused(&push(
        &t,
        Some("李华"),
        &["regrade", b, "--grade", "重大", "--reason", "again"],
    ));
    assert!(e.contains("already graded 重大"), "{e}");

    // A case opened from a third item: its number and state go with it.
    let c = sent
        .iter()
        .map(|r| r["工单编号"].as_str())
        .find(|x| *x != a && *x != b)
        .unwrap();
    let case_no = ok(&case(&t, Some("张明"), &["open", c])).trim().to_string();

    let second = send(&t, "2024-03", &out);
    let sent2 = rows(&second);
    assert_eq!(sent2.len(), 3, "{sent2:?}");
    assert!(sent2
        .iter()
        .all(|r| r["推送类型"] == "更新" && r["推送批次号"] == format!("{}-P0002", year())));
    let by = |x: &str| sent2.iter().find(|r| r["工单编号"] == x).unwrap();
    assert_eq!(by(a)["督办意见"], "请于5个工作日内整改并反馈");
    assert_eq!(by(a)["意见来源"], "督办办公室");
    assert_eq!(by(a)["分级"], "普遍性执法问题");
    assert_eq!(by(b)["分级"], "重大");
    assert_eq!(by(b)["分级依据"], "办公室更正");
    // The rule's suggestion follows the corrected grade ([grading.actions] 重大).
    assert_eq!(by(b)["督办意见"], "个案监督");
    assert_eq!(by(c)["督办事项编号"], case_no);
    assert_eq!(by(c)["状态"], "待研判");

    // A refresh that grades differently changes nothing that was sent: it is listed.
    let toml = t.root().join("rexian.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("widespread_regions = 3", "widespread_regions = 99"),
    )
    .unwrap();
    ok(&t.run(&["refresh"]));
    assert_eq!(
        t.count(
            "select count(*) from mart_graded_appeals \
             where period_key = '2024-03' and grade = '普遍性执法问题'"
        ),
        0
    );
    let diff = ok(&push(&t, Some("张明"), &["differences", "--format", "csv"]));
    let diff_rows: Vec<&str> = diff.lines().skip(1).collect();
    let widespread_sent = sent
        .iter()
        .filter(|r| r["分级"] == "普遍性执法问题")
        .count();
    assert_eq!(diff_rows.len(), widespread_sent, "{diff}");
    assert!(
        diff_rows.iter().all(|r| r.contains("普遍性执法问题")),
        "{diff}"
    );
    let again = push(
        &t,
        Some("张明"),
        &[
            "send",
            "--period",
            "2024-03",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("nothing to push"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // The ledger has both pushes; verify vouches for their rows, and finds them changed.
    let ledger = ok(&push(&t, Some("张明"), &["ledger", "--format", "csv"]));
    assert_eq!(ledger.lines().count(), 3, "{ledger}");
    assert!(ledger.contains(&format!("{}-P0002", year())), "{ledger}");
    let v = ok(&case(&t, None, &["verify"]));
    assert!(
        v.contains("2 push(es) and 0 feedback import(s) match"),
        "{v}"
    );
    ok(&t.run(&[
        "sql",
        "--write",
        "-c",
        &format!("update pushed_items set grade = '一般' where ticket_id = '{a}' and push_no = '{push_no}'"),
    ]));
    let e = refused(&case(&t, None, &["verify"]));
    assert!(
        e.contains(&format!("push {push_no}")) && e.contains("pushed_items"),
        "{e}"
    );
}

#[test]
fn feedback_is_imported_once_matched_masked_and_refused_when_unreadable() {
    let t = office();
    let out = t.root().join("out");
    let sent = rows(&send(&t, "2024-03", &out));
    let push_no = sent[0]["推送批次号"].clone();
    let (a, b) = (sent[0]["工单编号"].clone(), sent[1]["工单编号"].clone());
    let pushed = sent.len();

    let later = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    // The warehouse's calendar is the one of the last refresh, which ends before this year:
    // the items are not counted, and the warning says what to do.
    let uncounted = push(&t, Some("张明"), &["unanswered", "--as-of", &later]);
    let said = String::from_utf8_lossy(&uncounted.stderr);
    assert!(
        said.contains(&format!("{pushed} pushed item(s)")) && said.contains("rexian refresh"),
        "{said}"
    );
    ok(&t.run(&["refresh"]));
    // Nothing is overdue today; thirty days on, every item is.
    let none = push(&t, Some("张明"), &["unanswered"]);
    assert!(ok(&none).is_empty());
    assert!(String::from_utf8_lossy(&none.stderr).contains("within its 5 working days"));
    let overdue = ok(&push(
        &t,
        Some("张明"),
        &["unanswered", "--as-of", &later, "--format", "csv"],
    ));
    assert_eq!(overdue.lines().count(), pushed + 1, "{overdue}");

    // A feedback file: a matched row with a name and a phone in it, that row again, a row
    // for a ticket never pushed, and a row with only the required column.
    let header: Vec<String> = [
        "工单编号",
        "推送批次号",
        "签收时间",
        "处理结果",
        "重新派单",
        "反馈时间",
        "备注",
    ]
    .map(String::from)
    .to_vec();
    let answer = vec![
        a.clone(),
        push_no.clone(),
        "2024-04-01 09:00:00".into(),
        "已整改，联系人张三 13812345678".into(),
        "否".into(),
        "2024-04-02 10:00:00".into(),
        "车牌鲁H12345".into(),
    ];
    let never = vec![
        "JN-NEVER-PUSHED".to_string(),
        String::new(),
        "2024-04-01 09:00".into(),
        "查无此单".into(),
        "是".into(),
        String::new(),
        String::new(),
    ];
    let file = t.root().join("反馈1.csv");
    write_csv(&file, &header, &[answer.clone(), answer.clone(), never]);
    let imp = case(
        &t,
        Some("张明"),
        &["import-feedback", file.to_str().unwrap()],
    );
    let import_no = ok(&imp).trim().to_string();
    assert_eq!(import_no, format!("{}-F0001", year()));
    let said = String::from_utf8_lossy(&imp.stderr);
    assert!(
        said.contains("3 row(s)")
            && said.contains("1 matched")
            && said.contains("1 matching no push")
            && said.contains("1 duplicate(s)")
            && said.contains("row 3 = row 2")
            && said.contains("row 4 (JN-NEVER-PUSHED)"),
        "{said}"
    );
    assert_eq!(t.count("select count(*) from feedback_rows"), 2);
    // The free text reaches the warehouse masked.
    assert_eq!(
        t.count(
            "select count(*) from feedback_rows where result like '%13812345678%' \
             or result like '%张三%' or remark like '%鲁H12345%'"
        ),
        0
    );
    let listed = ok(&push(&t, Some("张明"), &["feedback", "--format", "csv"]));
    assert!(
        !listed.contains("13812345678") && listed.contains("已整改"),
        "{listed}"
    );
    let unmatched = ok(&push(
        &t,
        Some("张明"),
        &["feedback", "--unmatched", "--format", "csv"],
    ));
    assert_eq!(unmatched.lines().count(), 2, "{unmatched}");
    assert!(unmatched.contains("JN-NEVER-PUSHED"), "{unmatched}");
    // The answered item is no longer overdue.
    let overdue = ok(&push(
        &t,
        Some("张明"),
        &["unanswered", "--as-of", &later, "--format", "csv"],
    ));
    assert_eq!(overdue.lines().count(), pushed, "{overdue}");
    assert!(!overdue.contains(&a), "{overdue}");

    // The same file again changes nothing; a later file's rows seen before are not kept twice.
    let again = case(
        &t,
        Some("张明"),
        &["import-feedback", file.to_str().unwrap()],
    );
    assert_eq!(ok(&again).trim(), "");
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.contains("already imported") && said.contains(&import_no),
        "{said}"
    );
    let second = t.root().join("反馈2.csv");
    let mut other = answer.clone();
    other[0] = b.clone();
    write_csv(&second, &header, &[answer, other]);
    let imp = case(
        &t,
        Some("张明"),
        &["import-feedback", second.to_str().unwrap()],
    );
    assert_eq!(ok(&imp).trim(), format!("{}-F0002", year()));
    assert!(
        String::from_utf8_lossy(&imp.stderr).contains("1 imported before from another file"),
        "{}",
        String::from_utf8_lossy(&imp.stderr)
    );
    assert_eq!(t.count("select count(*) from feedback_rows"), 3);

    // Unreadable files are refused whole, saying where and what to do.
    let odd = t.root().join("反馈3.csv");
    write_csv(
        &odd,
        &["工单编号".into(), "满意度".into()],
        &[vec![a.clone(), "满意".into()]],
    );
    let e = refused(&case(
        &t,
        Some("张明"),
        &["import-feedback", odd.to_str().unwrap()],
    ));
    assert!(
        e.contains("\"满意度\" (column B)") && e.contains("工单编号"),
        "{e}"
    );
    let bad = t.root().join("反馈4.csv");
    write_csv(
        &bad,
        &["工单编号".into(), "签收时间".into()],
        &[
            vec![b.clone(), "2024-04-01 09:00".into()],
            vec![b, "昨天".into()],
        ],
    );
    let e = refused(&case(
        &t,
        Some("张明"),
        &["import-feedback", bad.to_str().unwrap()],
    ));
    assert!(
        e.contains("row 3, column B (签收时间)") && e.contains("nothing was imported"),
        "{e}"
    );
    let missing = t.root().join("反馈5.csv");
    write_csv(&missing, &["备注".into()], &[vec!["x".into()]]);
    let e = refused(&case(
        &t,
        Some("张明"),
        &["import-feedback", missing.to_str().unwrap()],
    ));
    assert!(e.contains("工单编号"), "{e}");
    assert_eq!(t.count("select count(*) from feedback_rows"), 3);

    // The imports' rows are covered by verify.
    let v = ok(&case(&t, None, &["verify"]));
    assert!(
        v.contains("1 push(es) and 2 feedback import(s) match"),
        "{v}"
    );
    ok(&t.run(&[
        "sql",
        "--write",
        "-c",
        "delete from feedback_rows where ticket_id = 'JN-NEVER-PUSHED'",
    ]));
    let e = refused(&case(&t, None, &["verify"]));
    assert!(e.contains(&format!("feedback import {import_no}")), "{e}");
}

#[test]
fn the_days_reminder_lists_cases_near_their_deadline_and_the_scheduler_writes_it_each_morning() {
    let t = office();
    // Only the casework job is scheduled, and the warehouse's calendar reaches next year.
    let toml = t.root().join("rexian.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    for job in [
        "inbox",
        "monthly",
        "quarterly",
        "pilot_summary",
        "push_list",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{job} = ")))
            .unwrap()
            .to_string();
        text = text.replace(&line, &format!("{job} = \"\""));
    }
    std::fs::write(&toml, text).unwrap();
    ok(&t.run(&["refresh"]));
    let ticket: String = t
        .db()
        .query_row(
            "select ticket_id from mart_graded_appeals where period_key = '2024-03' \
             order by ticket_id limit 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let no = ok(&case(&t, Some("张明"), &["open", &ticket]))
        .trim()
        .to_string();
    ok(&case(
        &t,
        Some("王强"),
        &[
            "assign",
            &no,
            "--staff",
            "张明",
            "--form",
            "线上监督",
            "--workdays",
            "2",
        ],
    ));
    send(&t, "2024-03", &t.root().join("out"));
    let pushed = t.count("select count(*) from pushed_items");

    // Today: the case is due within three working days, nothing is overdue yet.
    let dir = t.root().join("reminders");
    let today = ok(&case(
        &t,
        Some("张明"),
        &["remind", "--out", dir.to_str().unwrap()],
    ));
    let day = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        today.trim(),
        dir.join(format!("督办提醒 {day}.xlsx")).to_str().unwrap()
    );
    assert!(Path::new(today.trim()).is_file());
    let later = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let out = case(
        &t,
        Some("张明"),
        &["remind", "--as-of", &later, "--out", dir.to_str().unwrap()],
    );
    ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("1 open case(s)")
            && said.contains("(1 past it)")
            && said.contains(&format!("{pushed} pushed item(s) without feedback")),
        "{said}"
    );

    // The scheduler's casework job writes the day's reminder once, into the reports folder.
    let run = ok(&t.run(&["run", "casework"]));
    assert!(run.contains(&format!("督办提醒 {day}.xlsx")), "{run}");
    assert!(
        run.contains("1 case(s) near or past their deadline"),
        "{run}"
    );
    let e = refused(&t.run(&["run", "casework"]));
    assert!(e.contains("already done"), "{e}");
    let tomorrow = (chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai)
        + chrono::Duration::days(1))
    .date_naive();
    let pass = std::process::Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args(["serve", "--once"])
        .env("REXIAN_NOW", format!("{tomorrow} 07:59:00"))
        .output()
        .unwrap();
    ok(&pass);
    let file = t
        .root()
        .join("reports")
        .join(format!("督办提醒 {tomorrow}.xlsx"));
    assert!(!file.exists(), "before 08:00 nothing is due");
    let pass = std::process::Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args(["serve", "--once"])
        .env("REXIAN_NOW", format!("{tomorrow} 08:01:00"))
        .output()
        .unwrap();
    ok(&pass);
    assert!(file.is_file(), "{}", String::from_utf8_lossy(&pass.stderr));
    assert_eq!(
        t.count("select count(*) from run_ledger where job = 'casework' and status = 'succeeded'"),
        2
    );
}
