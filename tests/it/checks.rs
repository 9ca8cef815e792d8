//! `rexian check`: passes on a clean load, fails (exit 4, naming the check) on planted defects.

use std::process::Command;

use rexian::generate::Format;

use super::util::*;

#[test]
fn checks_pass_on_clean_data_and_catch_planted_defects() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-02",
        80,
        Format::Csv,
        71,
    );
    t.load(&files);
    let check = || {
        Command::new(bin())
            .arg("-w")
            .arg(t.root())
            .arg("check")
            .output()
            .unwrap()
    };
    let out = check();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Every check file and every declared model test, none of them counted by hand.
    let n =
        rexian::sql::files_under("checks/").count() + rexian::check::declared::all().unwrap().len();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("All {n} checks passed")),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Plant defects: a duplicated ticket, a phone number in clear, a row closed before it began.
    {
        let db = t.db_rw();
        db.execute_batch(
            "insert into appeals select * from appeals order by ticket_id limit 1;
             update appeals set content = '来电人电话13912345678' where ticket_id = (select max(ticket_id) from appeals);
             update appeals set closed_at = accepted_at - interval 1 day
              where ticket_id = (select min(ticket_id) from appeals where closed_at is not null and ticket_id > (select min(ticket_id) from appeals));",
        )
        .unwrap();
    }
    let out = check();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    assert!(
        stdout.contains("skipped: the marts are not built"),
        "{stdout}"
    );
    for name in [
        "appeals_unique_ticket_id",
        "appeals_no_personal_data",
        "appeals_closed_before_accepted",
    ] {
        assert!(
            stdout.contains(&format!("{name} — ")),
            "{name} not reported:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("ledger_accounts_for_every_row")
            && !stdout.contains("ledger_accounts_for_every_row — ")
    );
}

#[test]
fn checks_catch_a_misspelt_department_and_a_mart_row_without_appeals() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-01",
        60,
        Format::Csv,
        72,
    );
    t.load(&files);
    let run = |cmd: &str| {
        Command::new(bin())
            .arg("-w")
            .arg(t.root())
            .arg(cmd)
            .output()
            .unwrap()
    };
    let out = run("refresh");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    {
        let db = t.db_rw();
        // 综合执法局 for 综合行政执法局: two characters off a reference department.
        db.execute_batch(
            "update appeals set department = '任城区综合执法局', region_code = '370811', region_name = '任城区'
              where ticket_id = (select min(ticket_id) from appeals);
             update mart_indicator_values set value = value + 1
              where period_key = '2024-01' and unit_kind = 'city' and indicator = 'volume';",
        )
        .unwrap();
    }
    let out = run("check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(4), "{stdout}");
    assert!(stdout.contains("appeals_department_known — "), "{stdout}");
    assert!(stdout.contains("任城区综合行政执法局"), "{stdout}");
    assert!(stdout.contains("marts_traceable_to_appeals — "), "{stdout}");
}

#[test]
fn a_load_whose_rows_carry_personal_data_is_not_committed() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-01",
        30,
        Format::Csv,
        73,
    );
    t.load(&files);
    let db = t.db_rw();
    // What a masking bug would write: a later load's row with a mobile number in clear.
    db.execute_batch(
        "insert into appeals select * replace (ticket_id || 'X' as ticket_id,
                '来电人电话13912345678' as content, 2 as load_id)
         from appeals order by ticket_id limit 1",
    )
    .unwrap();
    let e = rexian::check::verify_load(&db, 2).unwrap_err();
    assert!(
        format!("{e:#}").contains("appeals_no_personal_data"),
        "{e:#}"
    );
    // The first load passed at its own commit: its watermark says so.
    let through: i64 = db
        .query_row(
            "select checked_through_load from check_watermarks where check_name = 'appeals_no_personal_data'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(through, 1);
}

#[test]
fn the_tests_declared_beside_the_models_find_what_breaks_them() {
    let t = sample_ws();
    let out = t.run(&["check"]);
    let text = ok(&out);
    for name in [
        "mart_scores.grain",
        "dim_period.accepted_values.period_kind",
        "mart_indicator_values.relationship.indicator",
        "fct_enforcement_appeals.not_null.region_name",
    ] {
        assert!(text.contains(name), "{name} not run:\n{text}");
    }
    // Behind rexian's back: a unit scored twice, a period of no known kind, an indicator
    // value of an indicator that does not exist.
    t.db_rw()
        .execute_batch(
            "insert into mart_scores select * from mart_scores limit 1;
             update dim_period set period_kind = 'week' where period_key = '2024-01';
             update mart_indicator_values set indicator = 'happiness'
                 where period_key = '2024-02' and unit_kind = 'city' and indicator = 'volume';",
        )
        .unwrap();
    let out = t.run(&["check"]);
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8_lossy(&out.stdout);
    for (name, row) in [
        ("mart_scores.grain", "2"),
        ("dim_period.accepted_values.period_kind", "week"),
        ("mart_indicator_values.relationship.indicator", "happiness"),
    ] {
        let failed = text
            .lines()
            .any(|l| l.contains(name) && l.contains("FAIL: 1 row(s)"));
        assert!(failed, "{name} did not fail:\n{text}");
        assert!(text.contains(row), "{row}:\n{text}");
    }
    assert!(
        text.lines()
            .any(|l| l.contains("dim_period.grain") && l.contains("pass")),
        "{text}"
    );
}
