//! `rexian refresh` builds the core facts; deadlines follow the official calendar.

use std::process::Command;

use super::util::*;

#[test]
fn deadlines_count_working_days_under_the_official_calendar() {
    let t = TestWs::new();
    let header: Vec<String> = [
        "工单编号",
        "受理时间",
        "所属区县",
        "诉求内容",
        "办理状态",
        "派单时间",
        "办结时间",
        "应办结时间",
    ]
    .map(String::from)
    .to_vec();
    let row = |id: &str, dispatched: &str, closed: &str, due: &str, status: &str| {
        [
            id,
            dispatched,
            "兖州区",
            "占道经营",
            status,
            dispatched,
            closed,
            due,
        ]
        .map(String::from)
        .to_vec()
    };
    let path = t.dir.path().join("fixture_2024-10.csv");
    write_csv(
        &path,
        &header,
        &[
            // Thursday before the Spring Festival: 9 Feb, 18 Feb (调休 Sunday), 19, 20, 21 Feb.
            row(
                "F1",
                "2024-02-08 10:00:00",
                "2024-02-19 09:00:00",
                "",
                "已办结",
            ),
            // Friday before National Day: 29 Sep (调休 Sunday), 30 Sep, 8, 9, 10 Oct.
            row(
                "F2",
                "2024-09-27 16:00:00",
                "2024-10-11 09:00:00",
                "",
                "已办结",
            ),
            // A deadline given by the platform is kept.
            row(
                "F3",
                "2024-03-04 09:00:00",
                "",
                "2024-03-20 18:00:00",
                "办理中",
            ),
        ],
    );
    loaded(&t.load(&[path])[0]);
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
    let db = t.db();
    let fact = |id: &str| -> (String, bool, Option<i64>, Option<bool>) {
        db.query_row(
            "select strftime(due_at_effective, '%Y-%m-%d %H:%M:%S'), is_due_derived, handling_workdays, is_closed_on_time from fct_enforcement_appeals where ticket_id = ?",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
    };
    assert_eq!(
        fact("F1"),
        ("2024-02-21 23:59:59".into(), true, Some(3), Some(true))
    );
    assert_eq!(
        fact("F2"),
        ("2024-10-10 23:59:59".into(), true, Some(6), Some(false))
    );
    assert_eq!(
        fact("F3"),
        ("2024-03-20 18:00:00".into(), false, None, None)
    );
    let builds: i64 = db
        .query_row("select count(*) from model_builds", [], |r| r.get(0))
        .unwrap();
    assert!(builds >= 2);
}

#[test]
fn every_dim_period_key_is_a_period_key_spanning_its_dates() {
    use rexian::period::{PeriodKey, PeriodKind};
    let t = sample_ws();
    // Rolling windows exist once the sample's three months can fill one.
    let toml = t.root().join("rexian.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        config.replace("ranking_months = 12", "ranking_months = 3"),
    )
    .unwrap();
    ok(&t.run(&["refresh"]));
    let conn = t.db();
    let mut stmt = conn
        .prepare(
            "select period_kind, period_key, cast(start_date as varchar), \
             cast(end_date as varchar), prev_key, yoy_key from dim_period",
        )
        .unwrap();
    let rows: Vec<[String; 6]> = stmt
        .query_map([], |r| {
            Ok([
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ])
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut kinds = std::collections::BTreeSet::new();
    for [kind, key, start, end, prev, yoy] in &rows {
        let k: PeriodKey = key.parse().unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(&k.to_string(), key);
        assert_eq!(k.kind().as_str(), kind, "{key}");
        assert_eq!(&k.first_day().to_string(), start, "{key}");
        assert_eq!(&k.end().to_string(), end, "{key}");
        for other in [prev, yoy] {
            let o: PeriodKey = other.parse().unwrap_or_else(|e| panic!("{other}: {e}"));
            assert_eq!(o.kind(), k.kind(), "{key} → {other}");
            assert!(
                o.end() <= k.end() && o.first_day() < k.first_day(),
                "{key} → {other}"
            );
        }
        kinds.insert(k.kind());
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), PeriodKind::ALL);
}

#[test]
fn marts_built_by_an_older_rexian_ask_for_a_refresh_and_get_one() {
    let t = sample_ws();
    // The marts as a release before unit_kind/unit_key built them: other columns, and a
    // build log without the SQL's hashes.
    t.db_rw()
        .execute_batch(
            "alter table mart_scores rename column unit_kind to dim_kind;
             alter table mart_scores rename column unit_key to dim_key;
             update model_builds set sql_sha256 = null;",
        )
        .unwrap();
    let out = t.run(&["indicators", "--period", "2024-03"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another rexian") && err.contains("rexian refresh"),
        "{err}"
    );
    // The scheduler sees a refresh due although no load came in.
    let status = ok(&t.run(&["status"]));
    assert!(
        status
            .lines()
            .any(|l| l.contains("refresh") && l.contains("load ") && l.contains("due")),
        "{status}"
    );
    ok(&t.run(&["refresh"]));
    ok(&t.run(&["indicators", "--period", "2024-03"]));

    // A build from before the grades were a mart: asked for a refresh, not a catalog error.
    t.db_rw()
        .execute_batch("drop view mart_graded_appeals")
        .unwrap();
    let out = t.run(&["grade", "--period", "2024-03"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rexian refresh"), "{err}");
    ok(&t.run(&["refresh"]));
    // One model built from other SQL than this build's (a changed file): a refresh too.
    t.db_rw()
        .execute_batch(
            "update model_builds set sql_sha256 = 'not this file' \
             where model = 'mart_hot_categories'",
        )
        .unwrap();
    let out = t.run(&["analyse", "hot", "--period", "2024-03"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    ok(&t.run(&["refresh"]));
    let grades = ok(&t.run(&["grade", "--period", "2024-03", "--format", "csv"]));
    assert!(
        grades
            .trim_start_matches('\u{feff}')
            .starts_with("工单编号,受理时间,区县,承办单位,诉求分类,执法领域,分级,触发规则"),
        "{grades}"
    );
}
