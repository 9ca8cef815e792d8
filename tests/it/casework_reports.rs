//! The 督办台账 where it shows: `case summary` and the reports' 督办工作情况 count the register's
//! events of each period, and the key-supervision list carries an open case over from the
//! month its ticket came from until the case is no longer open. The office's work is played
//! in the sample's months with a training workspace's REXIAN_NOW.

use std::process::Output;

use super::casework::office;
use super::util::{bin, ok, TestWs};

/// Runs `rexian ARGS…` as a staff member at a local time of the office.
fn at(t: &TestWs, who: &str, now: &str, args: &[&str]) -> Output {
    std::process::Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args(args)
        .env("REXIAN_TEST_STAFF", who)
        .env("REXIAN_NOW", now)
        .output()
        .unwrap()
}

/// The rows of a CSV written by rexian (BOM, header, rows), as (header, rows).
fn csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = split(lines.next().unwrap_or_default());
    (header, lines.map(split).collect())
}

/// The text of the PDF whose path a run printed, without line breaks and spaces.
fn pdf_text(printed: &str) -> String {
    super::report::pdftotext(std::path::Path::new(printed.trim())).replace(['\n', ' '], "")
}

/// `case summary` of a period (and region) as (项目, 件数) pairs.
fn summary(t: &TestWs, period: &str, region: Option<&str>) -> Vec<(String, i64)> {
    let mut args = vec!["case", "summary", "--period", period, "--format", "csv"];
    if let Some(r) = region {
        args.extend(["--region", r]);
    }
    let (header, rows) = csv(&ok(&at(t, "张明", "2024-04-01 09:00:00", &args)));
    let item = header.iter().position(|h| h == "项目").unwrap();
    let count = header.iter().position(|h| h == "件数").unwrap();
    rows.iter()
        .map(|r| (r[item].clone(), r[count].parse().unwrap()))
        .collect()
}

/// The key-supervision list of a month as (工单编号, 督办事项编号, 督办状态).
fn key_list(t: &TestWs, period: &str) -> Vec<(String, String, String)> {
    let args = [
        "analyse",
        "supervision",
        "--period",
        period,
        "--format",
        "csv",
    ];
    let (header, rows) = csv(&ok(&at(t, "张明", "2024-04-01 09:00:00", &args)));
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name} not in {header:?}"))
    };
    let (ticket, case_no, state) = (col("工单编号"), col("督办事项编号"), col("督办状态"));
    rows.iter()
        .map(|r| (r[ticket].clone(), r[case_no].clone(), r[state].clone()))
        .collect()
}

#[test]
fn reports_count_the_register_by_period_and_the_key_list_carries_open_cases_over() {
    let t = office();
    let pilot_units = ["兖州区", "泗水县", "邹城市", "微山县", "鱼台县", "梁山县"];
    // Two 一般 January tickets of one pilot unit (not key items of their own) and a February
    // one of the same unit.
    let (a, c, region): (String, String, String) = {
        let db = t.db();
        let mut s = db
            .prepare(
                "select region_name, list(ticket_id order by ticket_id) from mart_graded_appeals \
                 where period_key = '2024-01' and grade = '一般' and not is_recurrence \
                 and list_contains(?, region_name) group by region_name \
                 having count(*) >= 2 order by count(*) desc, region_name limit 1",
            )
            .unwrap();
        let units = duckdb::types::Value::List(
            pilot_units
                .iter()
                .map(|u| duckdb::types::Value::Text(u.to_string()))
                .collect(),
        );
        s.query_row([units], |r| {
            let tickets: duckdb::types::Value = r.get(1)?;
            let duckdb::types::Value::List(l) = tickets else {
                panic!("{tickets:?}")
            };
            let text = |v: &duckdb::types::Value| match v {
                duckdb::types::Value::Text(s) => s.clone(),
                other => panic!("{other:?}"),
            };
            Ok((text(&l[0]), text(&l[1]), r.get(0)?))
        })
        .unwrap()
    };
    let b: String = t
        .db()
        .query_row(
            "select min(ticket_id) from mart_graded_appeals \
             where period_key = '2024-02' and region_name = ?",
            [&region],
            |r| r.get(0),
        )
        .unwrap();
    let letters = t.dir.path().join("letters");
    let letters = letters.to_str().unwrap();

    // February: a case opened on a, 交办 for twenty working days, a 提醒函.
    let n1 = ok(&at(&t, "张明", "2024-02-05 09:00", &["case", "open", &a]))
        .trim()
        .to_string();
    assert_eq!(
        n1, "2024-0001",
        "the case's year is the office's (rehearsed) year"
    );
    let assign = |no: &str, now: &str, days: &str| {
        ok(&at(
            &t,
            "王强",
            now,
            &[
                "case",
                "assign",
                no,
                "--staff",
                "张明",
                "--form",
                "线上监督",
                "--workdays",
                days,
            ],
        ));
    };
    assign(&n1, "2024-02-06 09:00", "20");
    ok(&at(
        &t,
        "张明",
        "2024-02-20 10:00",
        &["letter", "reminder", &n1, "--out", letters],
    ));
    // March: a case on b opened and 不予立案; a's answer approved (审核通过, no longer open);
    // a case on c 交办 for three working days, past its deadline at the month's end.
    let n2 = ok(&at(&t, "张明", "2024-03-04 09:00", &["case", "open", &b]))
        .trim()
        .to_string();
    ok(&at(
        &t,
        "王强",
        "2024-03-05 09:00",
        &["case", "reject", &n2, "--reason", "重复"],
    ));
    ok(&at(
        &t,
        "张明",
        "2024-03-06 09:00",
        &["case", "answer", &n1, "--note", "已整改"],
    ));
    ok(&at(
        &t,
        "李华",
        "2024-03-07 09:00",
        &["case", "review", &n1, "--approve"],
    ));
    let n3 = ok(&at(&t, "张明", "2024-03-12 09:00", &["case", "open", &c]))
        .trim()
        .to_string();
    assign(&n3, "2024-03-12 10:00", "3");

    let items = |pairs: &[(&str, i64)]| -> Vec<(String, i64)> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    let feb = summary(&t, "2024-02", None);
    assert_eq!(
        feb,
        items(&[
            ("新立督办事项", 1),
            ("不予立案", 0),
            ("交办督办", 1),
            ("发出《行政执法监督意见书》", 0),
            ("发出提醒函", 1),
            ("收到部门答复（整改报告）", 0),
            ("审核通过、答复群众", 0),
            ("退回重办", 0),
            ("办结", 0),
            ("期末在办督办事项", 1),
            ("其中超过办理期限", 0),
            ("推送热线事项", 0),
            ("其中首次推送", 0),
            ("收到热线反馈的推送事项", 0),
            ("组织会商", 0),
        ])
    );
    let counts = |v: &[(String, i64)]| v.iter().map(|(_, n)| *n).collect::<Vec<_>>();
    assert_eq!(
        counts(&summary(&t, "2024-03", None)),
        [2, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0]
    );
    assert_eq!(
        counts(&summary(&t, "2024Q1", Some(&region))),
        [3, 1, 2, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0]
    );
    let elsewhere = if region == "兖州区" {
        "梁山县"
    } else {
        "兖州区"
    };
    assert_eq!(counts(&summary(&t, "2024Q1", Some(elsewhere))), [0; 15]);
    assert_eq!(counts(&summary(&t, "2024-01", None)), [0; 15]);

    // The key-supervision list: a's case in February (督办中), gone in March (审核通过); c's
    // case carried over from January into March, with its state at March's end.
    let feb = key_list(&t, "2024-02");
    assert!(
        feb.contains(&(a.clone(), n1.clone(), "督办中".into())),
        "{feb:?}"
    );
    let mar = key_list(&t, "2024-03");
    assert!(!mar.iter().any(|(t, _, _)| *t == a), "{mar:?}");
    assert!(
        mar.contains(&(c.clone(), n3.clone(), "督办中".into())),
        "{mar:?}"
    );
    let jan = key_list(&t, "2024-01");
    assert!(
        !jan.iter().any(|(t, _, _)| *t == a || *t == c),
        "no case was open at January's end: {jan:?}"
    );
    assert!(jan.iter().all(|(_, no, _)| no.is_empty()), "{jan:?}");

    // The reports print the same counts; a pilot unit's quarterly report is its 试点工作进展情况.
    let out = t.dir.path().join("pdf");
    let out = out.to_str().unwrap();
    let pdf = ok(&at(
        &t,
        "张明",
        "2024-04-01 09:00",
        &["report", "monthly", "2024-03", "--out", out],
    ));
    let text = pdf_text(&pdf);
    for expected in [
        "督办工作情况",
        "本月新立督办事项2件，办结0件，不予立案1件",
        "收到部门答复1件，审核通过1件、退回重办0件",
        "本月末在办1件，其中1件超过办理期限",
        &c,
        &n3,
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    let pdf = ok(&at(
        &t,
        "张明",
        "2024-04-01 09:00",
        &[
            "report",
            "quarterly",
            "2024Q1",
            "--region",
            &region,
            "--out",
            out,
        ],
    ));
    let text = pdf_text(&pdf);
    for expected in [
        "试点工作进展情况",
        &format!("本季度，{region}作为试点单位"),
        "本季度新立督办事项3件",
        "提醒函1件",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(!text.contains("督办工作情况"), "{text}");

    typical_cases_and_unit_texts(&t, &region, [&n1, &n3]);
}

/// 典型案例 are the cases the office chose, in its words; a pilot unit's own paragraphs are
/// typeset into its quarterly report and the pilot summary, and `rexian status` lists the
/// missing ones.
fn typical_cases_and_unit_texts(t: &TestWs, region: &str, [approved, open]: [&String; 2]) {
    let now = "2024-04-02 09:00";
    let typical = |who: &str, case_no: &str, extra: &[&str]| {
        let mut args = vec!["case", "typical", case_no];
        args.extend_from_slice(extra);
        at(t, who, now, &args)
    };
    let account = [
        "--problem",
        "群众反映某商户长期占道经营，联系电话13912345678",
        "--action",
        "督办办公室线上监督并发出提醒函",
        "--result",
        "部门依法处理，占道问题已整改",
    ];
    // Only a case with a result, only 经办 or 负责人, and every part written.
    let e = super::casework::refused(&typical("张明", open, &account));
    assert!(e.contains("审核通过") && e.contains("已办结"), "{e}");
    let e = super::casework::refused(&typical("李华", approved, &account));
    assert!(e.contains("李华 is 审核"), "{e}");
    let e = super::casework::refused(&typical(
        "张明",
        approved,
        &["--problem", " ", "--action", "x", "--result", "y"],
    ));
    assert!(e.contains("--problem"), "{e}");
    ok(&typical("张明", approved, &account));
    // Withdrawn, then chosen again: the latest choice stands.
    ok(&typical(
        "王强",
        approved,
        &["--withdraw", "--reason", "另选"],
    ));
    let e = super::casework::refused(&typical("王强", approved, &["--withdraw", "--reason", "x"]));
    assert!(e.contains("not a typical case"), "{e}");
    ok(&typical("张明", approved, &account));

    // The unit's own paragraphs for the quarter: two of the four parts, one of them in GBK.
    let dir = t.root().join("unit-texts").join(region).join("2024Q1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("工作动态.txt"),
        "本季度召开联席会议两次。\n\n联系人电话13812345678。\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("存在问题.txt"),
        encoding_rs::GB18030.encode("部分部门答复不及时。").0,
    )
    .unwrap();
    let status = ok(&at(t, "张明", now, &["status"]));
    let line = status
        .lines()
        .find(|l| l.contains(region) && l.contains("2024Q1"))
        .unwrap_or_else(|| panic!("{status}"));
    assert!(
        line.contains("好经验好做法、下一步打算") && !line.contains("工作动态"),
        "{line}"
    );

    let out = t.dir.path().join("pdf2");
    let out = out.to_str().unwrap();
    let pdf = ok(&at(
        t,
        "张明",
        now,
        &[
            "report",
            "quarterly",
            "2024Q1",
            "--region",
            region,
            "--out",
            out,
        ],
    ));
    let text = pdf_text(&pdf);
    for expected in [
        "试点工作进展情况",
        "（一）工作动态",
        "本季度召开联席会议两次。",
        "（二）存在问题",
        "部分部门答复不及时。",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    assert!(
        !text.contains("13812345678"),
        "a phone in a unit's text is masked"
    );

    let pdf = ok(&at(
        t,
        "张明",
        now,
        &["report", "pilot-summary", "pilot", "--out", out],
    ));
    let text = pdf_text(&pdf);
    for expected in [
        "案例1：".to_string(),
        format!("督办事项{approved}"),
        "问题：群众反映某商户长期占道经营".to_string(),
        "督办措施：督办办公室线上监督并发出提醒函（发函济司执监提〔2024〕1号）".to_string(),
        "处理结果：部门依法处理，占道问题已整改。".to_string(),
        "本年度新立督办事项3件".to_string(),
    ] {
        assert!(text.contains(&expected), "{expected} missing:\n{text}");
    }
    assert!(
        !text.contains("13912345678"),
        "a phone in the account is masked"
    );
    assert!(!text.contains("案例2："), "only the chosen case: {text}");
    // The pilot year's paragraphs: none written, so no section of the units.
    assert!(!text.contains("各试点单位工作情况"), "{text}");
    let year = t.root().join("unit-texts").join(region).join("PY2023-24");
    std::fs::create_dir_all(&year).unwrap();
    std::fs::write(year.join("下一步打算.txt"), "继续深化双向推送。").unwrap();
    let pdf = ok(&at(
        t,
        "张明",
        now,
        &["report", "pilot-summary", "pilot", "--out", out],
    ));
    let text = pdf_text(&pdf);
    let other = ["兖州区", "泗水县"]
        .into_iter()
        .find(|u| *u != region)
        .unwrap();
    for expected in [
        "各试点单位工作情况".to_string(),
        format!("{region}1.下一步打算继续深化双向推送。"),
        format!("{other}未报送。"),
    ] {
        assert!(text.contains(&expected), "{expected} missing:\n{text}");
    }
}

/// The rows of `rexian analyse disputes` of a period as JSON objects keyed by their headings.
fn disputes(t: &TestWs, period: &str) -> Vec<serde_json::Value> {
    let args = [
        "analyse", "disputes", "--period", period, "--format", "json",
    ];
    let doc: serde_json::Value =
        serde_json::from_str(&ok(&at(t, "张明", "2024-04-01 09:00", &args))).unwrap();
    doc["rows"].as_array().unwrap().clone()
}

#[test]
fn a_consultation_settles_its_categories_in_the_disputes_analysis() {
    let t = office();
    // The most returned category × region of the quarter, and the departments that returned
    // and closed it.
    let (category, region, lead): (String, String, String) = t
        .db()
        .query_row(
            "select category, region_name, lead_candidate from mart_disputes \
             where period_key = '2024Q1' and lead_candidate is not null \
             order by returned desc, category, region_name limit 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let topic = format!("{category}@{region}");
    let departments = format!("{lead}、{region}人民政府办公室");
    let record = |who: &str, extra: &[&str]| {
        let mut args = vec!["consult", "record", "--date", "2024-02-15"];
        args.extend_from_slice(extra);
        at(&t, who, "2024-02-20 10:00", &args)
    };
    let full = |lead: &str, topic: &str, departments: &str| -> Vec<String> {
        [
            "--departments",
            departments,
            "--topic",
            topic,
            "--lead",
            lead,
        ]
        .into_iter()
        .map(str::to_string)
        .collect()
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    // Refused, each saying why, and nothing recorded.
    let refused = super::casework::refused;
    let e = refused(&record("李华", &args(&full(&lead, &topic, &departments))));
    assert!(e.contains("经办、负责人"), "{e}");
    let e = refused(&record(
        "张明",
        &args(&full("市城市管理局", &topic, &departments)),
    ));
    assert!(e.contains("was not among the departments present"), "{e}");
    let e = refused(&record("张明", &args(&full(&lead, &topic, &lead))));
    assert!(e.contains("at least two"), "{e}");
    let e = refused(&record(
        "张明",
        &args(&full(&lead, "没有这个分类@任城区", &departments)),
    ));
    assert!(
        e.contains("没有这个分类") && e.contains("analyse disputes"),
        "{e}"
    );
    let e = refused(&record(
        "张明",
        &args(&full(&lead, &format!("{category}@火星区"), &departments)),
    ));
    assert!(e.contains("火星区"), "{e}");
    let e = refused(&at(
        &t,
        "张明",
        "2024-02-20 10:00",
        &[
            "consult",
            "record",
            "--date",
            "2024-03-01",
            "--departments",
            &departments,
            "--topic",
            &topic,
            "--lead",
            &lead,
        ],
    ));
    assert!(e.contains("once it has been held"), "{e}");
    assert_eq!(
        t.count("select count(*) from case_events where action = 'consult'"),
        0
    );

    let mut ok_args = full(&lead, &topic, &departments);
    ok_args.extend(["--norm".into(), "首接负责，限时转办".into()]);
    let no = ok(&record("张明", &args(&ok_args))).trim().to_string();
    assert_eq!(no, "2024-H0001");
    let consults = |period: &str, region: Option<&str>| summary(&t, period, region).pop().unwrap();
    assert_eq!(consults("2024-02", None), ("组织会商".to_string(), 1));
    assert_eq!(consults("2024-02", Some(&region)).1, 1);
    let elsewhere = if region == "任城区" {
        "兖州区"
    } else {
        "任城区"
    };
    assert_eq!(consults("2024-02", Some(elsewhere)).1, 0);
    assert_eq!(consults("2024-03", None).1, 0);

    // The quarter's disputes: that row settled, with the returns before (January, the only
    // month of the sample before February) and after (March), as the appeals give them.
    let rate = |from: &str, to: &str| -> Option<f64> {
        t.db()
            .query_row(
                "select round(count(*) filter (where returns >= 1) / nullif(count(*), 0), 4) \
                 from fct_enforcement_appeals where category = ? and region_name = ? \
                 and accepted_month >= cast(? as date) and accepted_month < cast(? as date)",
                [&category, &region, &from.to_string(), &to.to_string()],
                |r| r.get(0),
            )
            .unwrap()
    };
    let rows = disputes(&t, "2024Q1");
    let row = rows
        .iter()
        .find(|r| r["诉求分类"] == category.as_str() && r["区县"] == region.as_str())
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(row["会商编号"], "2024-H0001");
    assert_eq!(row["会商日期"], "2024-02-15");
    assert_eq!(row["确定牵头单位"], lead.as_str());
    assert_eq!(
        row["会商前退单率"].as_f64(),
        rate("2023-11-01", "2024-02-01")
    );
    assert_eq!(
        row["会商后退单率"].as_f64(),
        rate("2024-03-01", "2024-04-01")
    );
    assert!(
        row["会商前退单率"].as_f64().is_some() || row["会商后退单率"].as_f64().is_some(),
        "{row}"
    );
    let others = rows.iter().filter(|r| !r["会商编号"].is_null()).count();
    assert_eq!(others, 1, "only the topic's own row: {rows:?}");
    // January's disputes came before it: nothing settled.
    assert!(disputes(&t, "2024-01")
        .iter()
        .all(|r| r["会商编号"].is_null()));

    // The register, the report's sentence, and the log still whole.
    let list = ok(&at(
        &t,
        "张明",
        "2024-04-01 09:00",
        &["consult", "list", "--format", "csv"],
    ));
    for expected in [
        no.as_str(),
        "2024-02-15",
        &departments,
        &topic,
        "首接负责，限时转办",
    ] {
        assert!(list.contains(expected), "{expected} missing:\n{list}");
    }
    let out = t.dir.path().join("pdf");
    let pdf = ok(&at(
        &t,
        "张明",
        "2024-04-01 09:00",
        &[
            "report",
            "quarterly",
            "2024Q1",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    let text = pdf_text(&pdf);
    assert!(text.contains("其中1类已经会商确定牵头单位"), "{text}");
    let v = ok(&at(&t, "张明", "2024-04-01 09:00", &["case", "verify"]));
    assert!(v.contains("whole: 1 events"), "{v}");

    // A 会商 case opened from the matter itself: its returned tickets of the quarter.
    let open = |extra: &[&str]| {
        let mut args = vec!["case", "open"];
        args.extend_from_slice(extra);
        at(&t, "张明", "2024-04-01 09:00", &args)
    };
    let e = super::casework::refused(&open(&["--dispute", &category, "--period", "2024Q1"]));
    assert!(e.contains("分类@区县"), "{e}");
    let no = ok(&open(&["--dispute", &topic, "--period", "2024Q1"]))
        .trim()
        .to_string();
    let (kind, tickets): (String, i64) = t
        .db()
        .query_row(
            "select json_extract_string(details, '$.kind'), json_array_length(details, '$.tickets') \
             from case_events where case_no = ? and action = 'open'",
            [&no],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let returned: i64 = t
        .db()
        .query_row(
            "select returned from mart_disputes where period_key = '2024Q1' \
             and category = ? and region_name = ?",
            [&category, &region],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!((kind.as_str(), tickets), ("会商", returned));
}

#[test]
fn the_refresh_opens_cases_for_new_major_and_recurring_items_once() {
    let t = office();
    let toml = t.root().join("rexian.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    // A wrong setting is refused with what to write.
    std::fs::write(
        &toml,
        text.replace("auto_open = []", "auto_open = [\"重大\"]"),
    )
    .unwrap();
    let e = super::casework::refused(&t.run(&["refresh"]));
    assert!(
        e.contains("auto_open_from") && e.contains("2024-11-01"),
        "{e}"
    );
    std::fs::write(
        &toml,
        text.replace("auto_open = []", "auto_open = [\"重大\", \"屡次不改\"]")
            .replace("auto_open_from = \"\"", "auto_open_from = \"2024-02-01\""),
    )
    .unwrap();

    let expected: Vec<String> = {
        let db = t.db();
        let mut s = db
            .prepare(
                "select ticket_id from mart_graded_appeals \
                 where period_key = strftime(accepted_at, '%Y-%m') \
                 and accepted_at >= date '2024-02-01' and (grade = '重大' or is_recurrence) \
                 order by accepted_at, ticket_id",
            )
            .unwrap();
        let rows = s.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert!(
        !expected.is_empty(),
        "the sample has 重大 and 屡次不改 items since February"
    );
    let out = ok(&t.run(&["refresh"]));
    assert!(
        out.contains(&format!(
            "opened {} case(s) by [casework] auto_open",
            expected.len()
        )),
        "{out}"
    );
    let opened: Vec<(String, String, String)> = {
        let db = t.db();
        let mut s = db
            .prepare(
                "select case_no, staff, json_extract_string(details, '$.tickets[0]') \
                 from case_events where action = 'open' order by event_id",
            )
            .unwrap();
        let rows = s
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert_eq!(
        opened.iter().map(|(_, _, t)| t.clone()).collect::<Vec<_>>(),
        expected
    );
    assert!(opened.iter().all(|(_, staff, _)| staff == "rexian"));

    // Worked like any other: one rejected by the office is not opened again, and a second
    // refresh opens nothing.
    let first = &opened[0].0;
    ok(&super::casework::case(
        &t,
        Some("王强"),
        &["reject", first, "--reason", "已另案处理"],
    ));
    let out = ok(&t.run(&["refresh"]));
    assert!(!out.contains("auto_open"), "{out}");
    assert_eq!(
        t.count("select count(*) from case_events where action = 'open'"),
        expected.len() as i64
    );
    let v = ok(&super::casework::case(&t, None, &["verify"]));
    assert!(v.contains("whole"), "{v}");
}
