//! The 督办台账 through the binary: a case's whole life, every refused move, four-eyes, and a
//! log changed behind rexian's back found by `rexian case verify`.

use std::path::Path;
use std::process::Output;

use super::util::{bin, ok, sample_ws, TestWs};

/// The office of the tests: three staff members, named by a variable (one login runs all).
const STAFF: &str = r#"staff = [
    { name = "张明", role = "经办" },
    { name = "李华", role = "审核" },
    { name = "王强", role = "负责人" },
]"#;

/// The sample workspace with the office's staff and a calendar reaching next year.
pub(super) fn office() -> TestWs {
    let t = sample_ws();
    let toml = t.root().join("rexian.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("reference = \"\"", "reference = \"reference\"")
        .replace("user_env = \"\"", "user_env = \"REXIAN_TEST_STAFF\"")
        .replace("staff = []", STAFF);
    std::fs::write(&toml, text).unwrap();
    // Deadlines are counted on the official calendar, which must reach the deadline's year:
    // the shipped one, and two more years for the test (their weekends only).
    let dir = t.root().join("reference");
    std::fs::create_dir_all(&dir).unwrap();
    let mut holidays = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/reference/holidays.csv"),
    )
    .unwrap();
    let year = chrono::Utc::now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap();
    holidays.push_str(&format!(
        "{},holiday,元旦\n",
        format_args!("{}-01-01", year + 1)
    ));
    std::fs::write(dir.join("holidays.csv"), holidays).unwrap();
    t
}

/// Runs `rexian case …` as a staff member (None: as the login itself).
pub(super) fn case(t: &TestWs, who: Option<&str>, args: &[&str]) -> Output {
    let mut c = std::process::Command::new(bin());
    c.arg("-w").arg(t.root()).arg("case").args(args);
    match who {
        Some(w) => c.env("REXIAN_TEST_STAFF", w),
        None => c.env_remove("REXIAN_TEST_STAFF"),
    };
    c.output().unwrap()
}

/// The error of a run that must have been refused (exit status 1).
pub(super) fn refused(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn field(t: &TestWs, case_no: &str, column: &str) -> String {
    let csv = ok(&case(t, Some("张明"), &["list", "--format", "csv"]));
    let mut rows = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let i = header
        .iter()
        .position(|h| *h == column)
        .unwrap_or_else(|| panic!("{header:?}"));
    rows.map(|r| r.split(',').collect::<Vec<_>>())
        .find(|r| r[0] == case_no)
        .unwrap_or_else(|| panic!("{case_no} not in {csv}"))[i]
        .to_string()
}

#[test]
fn a_case_from_opening_to_closing_with_every_refusal_and_four_eyes() {
    let t = office();
    let tickets: Vec<String> = {
        let db = t.db();
        let mut s = db
            .prepare(
                "select ticket_id from mart_graded_appeals \
                 group by ticket_id order by min(grade_order), ticket_id limit 2",
            )
            .unwrap();
        let rows = s.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert_eq!(tickets.len(), 2);

    // Nobody off the staff list changes anything, and unknown tickets open nothing.
    let e = refused(&case(&t, None, &["open", &tickets[0]]));
    assert!(e.contains("not on the [casework] staff list"), "{e}");
    let e = refused(&case(&t, Some("赵六"), &["open", &tickets[0]]));
    assert!(e.contains("\"赵六\"") && e.contains("张明（经办）"), "{e}");
    let e = refused(&case(&t, Some("张明"), &["open", "NO-SUCH-TICKET"]));
    assert!(
        e.contains("NO-SUCH-TICKET") && e.contains("rexian grade"),
        "{e}"
    );
    let e = refused(&case(
        &t,
        Some("张明"),
        &["open", &tickets[0], "--kind", "闲聊"],
    ));
    assert!(e.contains("个案监督"), "{e}");

    // 立案 from two tickets: numbered in the year's own sequence, 待研判.
    let no = ok(&case(
        &t,
        Some("张明"),
        &["open", &tickets[0], &tickets[1], "--note", "群众反映强烈"],
    ))
    .trim()
    .to_string();
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(no, format!("{year}-0001"));
    assert_eq!(field(&t, &no, "状态"), "待研判");
    assert_eq!(
        field(&t, &no, "来源工单"),
        format!("{}、{}", tickets[0], tickets[1])
    );

    // A move not allowed now names the allowed ones; a role may not make another's move.
    let e = refused(&case(&t, Some("张明"), &["answer", &no, "--note", "x"]));
    assert!(
        e.contains("待研判") && e.contains("assign (交办)") && e.contains("reject (不予立案)"),
        "{e}"
    );
    let e = refused(&case(
        &t,
        Some("李华"),
        &["assign", &no, "--staff", "张明", "--form", "线上监督"],
    ));
    assert!(
        e.contains("李华 is 审核") && e.contains("经办、负责人"),
        "{e}"
    );
    let e = refused(&case(
        &t,
        Some("王强"),
        &["assign", &no, "--staff", "张明", "--form", "电话"],
    ));
    assert!(e.contains("随同执法"), "{e}");
    let e = refused(&case(
        &t,
        Some("张明"),
        &[
            "assign",
            "1999-0042",
            "--staff",
            "张明",
            "--form",
            "线上监督",
        ],
    ));
    assert!(e.contains("no case \"1999-0042\""), "{e}");

    // 交办 with a deadline five working days on, under the calendar.
    let out = case(
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
            "5",
        ],
    );
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("deadline"));
    assert_eq!(field(&t, &no, "状态"), "督办中");
    assert_eq!(field(&t, &no, "承办人员"), "张明");
    assert_eq!(field(&t, &no, "监督方式"), "线上监督");
    let due = field(&t, &no, "办理期限");
    assert!(
        due.as_str() > chrono::Utc::now().format("%Y-%m-%d").to_string().as_str(),
        "{due}"
    );

    // The department's answer, with its file; whoever recorded it may not approve it.
    let file = t.root().join("整改报告.txt");
    std::fs::write(&file, "已责令整改").unwrap();
    ok(&case(
        &t,
        Some("王强"),
        &[
            "answer",
            &no,
            "--note",
            "部门已答复",
            "--file",
            file.to_str().unwrap(),
        ],
    ));
    let e = refused(&case(&t, Some("王强"), &["review", &no, "--approve"]));
    assert!(
        e.contains("four-eyes") && e.contains("王强 recorded"),
        "{e}"
    );
    // 退回重办 needs its reason; then back to 督办中 with a new deadline.
    let e = refused(&case(&t, Some("李华"), &["review", &no, "--return"]));
    assert!(e.contains("reason"), "{e}");
    ok(&case(
        &t,
        Some("李华"),
        &[
            "review",
            &no,
            "--return",
            "--note",
            "整改不到位",
            "--workdays",
            "3",
        ],
    ));
    assert_eq!(field(&t, &no, "状态"), "督办中");
    assert!(
        field(&t, &no, "办理期限") < due,
        "the return's deadline is the nearer one"
    );
    ok(&case(
        &t,
        Some("张明"),
        &["answer", &no, "--note", "再次答复：已整改到位"],
    ));
    ok(&case(
        &t,
        Some("李华"),
        &["review", &no, "--approve", "--note", "同意"],
    ));
    assert_eq!(field(&t, &no, "状态"), "审核通过");
    ok(&case(&t, Some("张明"), &["close", &no]));
    assert_eq!(field(&t, &no, "状态"), "已办结");
    let e = refused(&case(&t, Some("张明"), &["close", &no]));
    assert!(e.contains("finished"), "{e}");

    // The case's history: every event, who and what, the file's digest.
    let show = ok(&case(&t, Some("张明"), &["show", &no, "--format", "csv"]));
    for word in [
        "立案",
        "交办",
        "登记答复",
        "退回重办",
        "审核通过",
        "办结",
        "整改不到位",
    ] {
        assert!(show.contains(word), "{word}: {show}");
    }
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest("已责令整改".as_bytes()));
    assert!(show.contains(&digest), "{show}");

    // A second case has the next number; 不予立案 needs 负责人 and a reason.
    let second = ok(&case(
        &t,
        Some("张明"),
        &["open", &tickets[1], "--kind", "提醒"],
    ))
    .trim()
    .to_string();
    assert_eq!(second, format!("{year}-0002"));
    let e = refused(&case(
        &t,
        Some("张明"),
        &["reject", &second, "--reason", "重复"],
    ));
    assert!(e.contains("负责人"), "{e}");
    ok(&case(
        &t,
        Some("王强"),
        &["reject", &second, "--reason", "与 2026-0001 重复"],
    ));
    assert_eq!(field(&t, &second, "状态"), "不予立案");
    let listed = ok(&case(
        &t,
        Some("张明"),
        &["list", "--state", "不予立案", "--format", "csv"],
    ));
    assert_eq!(listed.lines().count(), 2, "{listed}");

    // A refresh rebuilds the figures and keeps the register.
    ok(&t.run(&["refresh"]));
    assert_eq!(field(&t, &no, "状态"), "已办结");
    let v = ok(&case(&t, None, &["verify"]));
    assert!(v.contains("whole: 9 events"), "{v}");

    // A report made now carries the log's head in its provenance.
    let month: String = t
        .db()
        .query_row(
            "select min(period_key) from mart_graded_appeals \
             where ticket_id = ? and length(period_key) = 7",
            [&tickets[0]],
            |r| r.get(0),
        )
        .unwrap();
    let out = t.root().join("pdf");
    let pdf = ok(&t.run(&["report", "monthly", &month, "--out", out.to_str().unwrap()]));
    let text = super::report::pdftotext(std::path::Path::new(pdf.trim()));
    let head = v.split_whitespace().last().unwrap();
    assert!(
        text.contains(&format!("督办台账：9 条记录，签名 {head}")),
        "{head}: {text}"
    );
}

#[test]
fn a_case_before_any_load_is_refused_saying_what_to_do() {
    let t = TestWs::new();
    let toml = t.root().join("rexian.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("user_env = \"\"", "user_env = \"REXIAN_TEST_STAFF\"")
        .replace("staff = []", STAFF);
    std::fs::write(&toml, text).unwrap();
    let e = refused(&case(&t, Some("张明"), &["open", "JN1"]));
    assert!(e.contains("rexian refresh"), "{e}");
    let listed = case(&t, Some("张明"), &["list"]);
    assert!(String::from_utf8_lossy(&listed.stderr).contains("no cases"));
}

#[test]
fn a_log_changed_behind_rexians_back_is_found_by_verify() {
    let t = office();
    let ticket: String = t
        .db()
        .query_row(
            "select ticket_id from mart_graded_appeals order by ticket_id limit 1",
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
        &["assign", &no, "--staff", "张明", "--form", "案卷核验"],
    ));
    ok(&case(
        &t,
        Some("张明"),
        &["answer", &no, "--note", "已答复"],
    ));
    ok(&case(&t, None, &["verify"]));
    let warehouse = t.ws.warehouse_path();
    let copy = t.root().join("copy.duckdb");
    std::fs::copy(&warehouse, &copy).unwrap();
    let restore = || std::fs::copy(&copy, &warehouse).unwrap();

    // An edited note (through sql --write, as anyone who can write the warehouse could).
    ok(&t.run(&[
        "sql",
        "--write",
        "-c",
        "update case_events set note = '未答复' where event_id = 3",
    ]));
    let e = refused(&case(&t, None, &["verify"]));
    assert!(
        e.contains("event 3") && e.contains("MAC does not match"),
        "{e}"
    );
    restore();

    // A forged event appended, with a made-up signature.
    ok(&t.run(&[
        "sql",
        "--write",
        "-c",
        "insert into case_events select 4, case_no, event_at, '李华', 'approve', '待审核', '审核通过', \
         null, null, null, repeat('0', 64) from case_events where event_id = 3",
    ]));
    let e = refused(&case(&t, None, &["verify"]));
    assert!(e.contains("event 4") && e.contains("李华"), "{e}");
    restore();

    // An event removed from the middle, and the newest one removed.
    ok(&t.run(&[
        "sql",
        "--write",
        "-c",
        "delete from case_events where event_id = 2",
    ]));
    let e = refused(&case(&t, None, &["verify"]));
    assert!(e.contains("events 2–2 are missing"), "{e}");
    restore();
    ok(&t.run(&[
        "sql",
        "--write",
        "-c",
        "delete from case_events where event_id = 3",
    ]));
    let e = refused(&case(&t, None, &["verify"]));
    assert!(e.contains("newest events were deleted"), "{e}");
    restore();
    ok(&case(&t, None, &["verify"]));

    // The register (the table `case list` reads) edited and a case taken out of it: the log
    // is whole, so verify names each difference and --repair works it out again from the log.
    assert_eq!(field(&t, &no, "状态"), "待审核");
    ok(&t.run(&[
        "sql",
        "--write",
        "-c",
        "update case_register set case_state = '已办结', events = 9",
    ]));
    assert_eq!(field(&t, &no, "状态"), "已办结");
    let e = refused(&case(&t, None, &["verify"]));
    assert!(
        e.contains("log is whole (3 events)")
            && e.contains(&format!(
                "the register's row of case {no} says case_state 已办结 where its log says 待审核"
            ))
            && e.contains("says events 9 where its log says 3")
            && e.contains("case verify --repair"),
        "{e}"
    );
    ok(&t.run(&["sql", "--write", "-c", "delete from case_register"]));
    let e = refused(&case(&t, None, &["verify"]));
    assert!(
        e.contains(&format!("the register lacks case {no}, which its log has")),
        "{e}"
    );
    let repaired = case(&t, None, &["verify", "--repair"]);
    assert!(
        String::from_utf8_lossy(&repaired.stderr)
            .contains("worked out again from the log: 1 cases"),
        "{}",
        String::from_utf8_lossy(&repaired.stderr)
    );
    ok(&repaired);
    assert_eq!(field(&t, &no, "状态"), "待审核");
    ok(&case(&t, None, &["verify"]));

    // A backup carries the log's head with it: the restored workspace verifies.
    let backup = t.dir.path().join("backup");
    ok(&t.run(&["backup", backup.to_str().unwrap(), "--include-key"]));
    let restored = t.dir.path().join("restored");
    ok(&super::util::run_in(
        &restored,
        &["restore", backup.to_str().unwrap()],
    ));
    let v = ok(&super::util::run_in(&restored, &["case", "verify"]));
    assert!(v.contains("whole: 3 events"), "{v}");

    // Another workspace's key cannot vouch for this log.
    std::fs::write(t.root().join("secret.key"), "abcd".repeat(16)).unwrap();
    let e = refused(&case(&t, None, &["verify"]));
    assert!(e.contains("event 1"), "{e}");
}

#[test]
fn a_log_kept_before_the_register_table_is_read_and_then_migrated_into_it() {
    let t = office();
    let tickets: Vec<String> = {
        let db = t.db();
        let mut s = db
            .prepare("select distinct ticket_id from mart_graded_appeals order by 1 limit 2")
            .unwrap();
        let rows = s.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    let mut cases = Vec::new();
    for ticket in &tickets {
        cases.push(
            ok(&case(&t, Some("张明"), &["open", ticket]))
                .trim()
                .to_string(),
        );
    }
    ok(&case(
        &t,
        Some("王强"),
        &[
            "assign",
            &cases[1],
            "--staff",
            "张明",
            "--form",
            "随同执法",
            "--workdays",
            "3",
        ],
    ));
    let register = ok(&case(&t, Some("张明"), &["list", "--format", "csv"]));
    assert_eq!(register.lines().count(), 3, "{register}");

    // The warehouse as the rexian before the register table left it: schema version 5.
    t.db_rw()
        .execute_batch(
            "drop table case_register; drop table model_scores; \
             delete from schema_migrations where version >= 6; checkpoint;",
        )
        .unwrap();
    assert_eq!(rexian::migrate::version(&t.db()).unwrap(), 5);
    // Read-only commands work it out from the log, and change nothing.
    assert_eq!(
        ok(&case(&t, Some("张明"), &["list", "--format", "csv"])),
        register
    );
    ok(&case(&t, None, &["verify"]));
    assert_eq!(rexian::migrate::version(&t.db()).unwrap(), 5);
    // The first command that writes migrates, filling the table from the log.
    ok(&t.run(&["refresh"]));
    assert_eq!(
        rexian::migrate::version(&t.db()).unwrap(),
        rexian::migrate::latest()
    );
    assert_eq!(t.count("select count(*) from case_register"), 2);
    assert_eq!(
        ok(&case(&t, Some("张明"), &["list", "--format", "csv"])),
        register
    );
    ok(&case(&t, None, &["verify"]));
    // And keeps it from then on.
    ok(&case(
        &t,
        Some("张明"),
        &["answer", &cases[1], "--note", "已整改"],
    ));
    assert_eq!(field(&t, &cases[1], "状态"), "待审核");
    assert_eq!(field(&t, &cases[1], "办理记录数"), "3");
    ok(&case(&t, None, &["verify"]));
}

/// Runs `rexian letter …` as a staff member.
fn letter(t: &TestWs, who: &str, args: &[&str]) -> Output {
    std::process::Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .arg("letter")
        .args(args)
        .env("REXIAN_TEST_STAFF", who)
        .output()
        .unwrap()
}

/// The rows of `rexian letter list` as (文号, 督办事项编号, 函件状态).
fn letters(t: &TestWs) -> Vec<(String, String, String)> {
    let csv = ok(&letter(t, "张明", &["list", "--format", "csv"]));
    let mut rows = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (n, c, s) = (at("文号"), at("督办事项编号"), at("函件状态"));
    rows.map(|r| {
        let r: Vec<&str> = r.split(',').collect();
        (r[n].to_string(), r[c].to_string(), r[s].to_string())
    })
    .collect()
}

#[test]
fn letters_take_their_numbers_from_the_register_without_gaps_and_record_the_reply() {
    let t = office();
    let ticket: String = t
        .db()
        .query_row(
            "select ticket_id from mart_graded_appeals where department is not null \
             order by grade_order, ticket_id limit 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let no = ok(&case(&t, Some("张明"), &["open", &ticket]))
        .trim()
        .to_string();
    let year = &no[..4];
    let out = t.dir.path().join("letters");
    let out_arg = out.to_str().unwrap();

    // Not before the case is assigned: the refusal names what is allowed.
    let e = refused(&letter(&t, "张明", &["opinion", &no, "--out", out_arg]));
    assert!(e.contains("待研判") && e.contains("assign (交办)"), "{e}");
    ok(&case(
        &t,
        Some("王强"),
        &["assign", &no, "--staff", "张明", "--form", "案卷核验"],
    ));

    // The first opinion of the year, with the office's own opinion and the ticket's facts.
    let run = letter(
        &t,
        "张明",
        &[
            "opinion",
            &no,
            "--opinion",
            "经核查，该局未在法定期限内作出处理决定。\n请依法作出处理并书面答复。",
            "--out",
            out_arg,
        ],
    );
    let pdf = std::path::PathBuf::from(ok(&run).trim());
    let first = format!("济司执监意〔{year}〕1号");
    assert!(
        pdf.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&first),
        "{}",
        pdf.display()
    );
    let text = super::report::pdftotext(&pdf).replace(['\n', ' '], "");
    for expected in [
        first.as_str(),
        "经核查，该局未在法定期限内作出处理决定。",
        "请依法作出处理并书面答复。",
        &ticket,
        &format!("督办事项{no}"),
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(String::from_utf8_lossy(&run.stderr).contains("reply due"));

    // Reminders asked for by two processes at once: each number once, none skipped.
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..3 {
                    ok(&letter(&t, "张明", &["reminder", &no, "--out", out_arg]));
                }
            });
        }
    });
    let mut reminders: Vec<String> = letters(&t)
        .into_iter()
        .filter(|(n, _, _)| n.starts_with("济司执监提"))
        .map(|(n, _, _)| n)
        .collect();
    reminders.sort();
    let expected: Vec<String> = (1..=6)
        .map(|i| format!("济司执监提〔{year}〕{i}号"))
        .collect();
    assert_eq!(reminders, expected);
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        7,
        "one PDF per number"
    );

    // Voiding is for the 负责人, once; the number stays used.
    let second = format!("济司执监提〔{year}〕2号");
    let e = refused(&letter(&t, "张明", &["void", &second, "--reason", "错发"]));
    assert!(e.contains("负责人"), "{e}");
    ok(&letter(
        &t,
        "王强",
        &["void", &second, "--reason", "主送单位错误"],
    ));
    let e = refused(&letter(&t, "王强", &["void", &second, "--reason", "again"]));
    assert!(e.contains("voided"), "{e}");
    let e = refused(&letter(&t, "张明", &["reply", &second, "--note", "x"]));
    assert!(e.contains("voided"), "{e}");
    let e = refused(&letter(
        &t,
        "张明",
        &["reply", "济司执监意〔1999〕9号", "--note", "x"],
    ));
    assert!(e.contains("letter list"), "{e}");
    ok(&letter(&t, "张明", &["reminder", &no, "--out", out_arg]));
    assert!(letters(&t)
        .iter()
        .any(|(n, _, _)| *n == format!("济司执监提〔{year}〕7号")));

    // The department's reply is recorded against the letter: the case's answer.
    ok(&letter(
        &t,
        "张明",
        &["reply", &first, "--note", "已作出处理决定"],
    ));
    assert_eq!(field(&t, &no, "状态"), "待审核");
    let states: Vec<(String, String)> = letters(&t)
        .into_iter()
        .map(|(n, c, s)| {
            assert_eq!(c, no);
            (n, s)
        })
        .collect();
    assert!(
        states.contains(&(first.clone(), "已答复".into())),
        "{states:?}"
    );
    assert!(
        states.contains(&(second.clone(), "已作废".into())),
        "{states:?}"
    );
    let e = refused(&letter(&t, "张明", &["reply", &first, "--note", "again"]));
    assert!(e.contains("recorded on"), "{e}");
    let e = refused(&letter(&t, "王强", &["void", &first, "--reason", "x"]));
    assert!(e.contains("answered"), "{e}");
    // Four-eyes holds for a reply recorded through its letter.
    let e = refused(&case(&t, Some("张明"), &["review", &no, "--approve"]));
    assert!(e.contains("审核"), "{e}");
    // No letter on a case waiting for review.
    let e = refused(&letter(&t, "张明", &["opinion", &no, "--out", out_arg]));
    assert!(e.contains("待审核"), "{e}");

    // The register names the case's letters; its history shows them; the log is whole.
    assert!(field(&t, &no, "发函文号").contains(&first));
    let show = ok(&case(&t, Some("张明"), &["show", &no, "--format", "csv"]));
    assert!(show.contains("发函") && show.contains("文号作废"), "{show}");
    ok(&case(&t, Some("张明"), &["verify"]));
}
