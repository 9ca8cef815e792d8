//! The scheduler (`rexian serve`, `run`, `status`): the inbox, catching up after downtime,
//! one daemon per workspace, stopping on SIGTERM mid-load, retries of a failing job, and
//! analysts' SQL while the daemon loads. Time is rehearsed with REXIAN_NOW and second-level
//! cron expressions.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use rexian::generate::Format;

use super::util::*;

/// A workspace whose rexian.toml holds only `schedule` (under [schedule]) over the defaults.
fn daemon_ws(schedule: &str) -> TestWs {
    let t = TestWs::new();
    std::fs::write(
        t.root().join("rexian.toml"),
        format!("[schedule]\nsince = \"2024-01\"\nsettle_seconds = 0\n{schedule}\n"),
    )
    .unwrap();
    t
}

fn inbox(t: &TestWs) -> PathBuf {
    t.root().join("inbox")
}

/// Generates months into the inbox.
fn drop_months(t: &TestWs, from: &str, to: &str, per_month: u32) -> Vec<PathBuf> {
    let files = generate(
        &t.dir.path().join("gen"),
        from,
        to,
        per_month,
        Format::Csv,
        7,
    );
    files
        .iter()
        .map(|f| {
            let to = inbox(t).join(f.file_name().unwrap());
            std::fs::copy(f, &to).unwrap();
            to
        })
        .collect()
}

fn run_at(t: &TestWs, now: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(bin());
    c.arg("-w").arg(t.root()).args(args).env("REXIAN_NOW", now);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn spawn_daemon(t: &TestWs, now: &str, env: &[(&str, &str)]) -> Child {
    let mut c = Command::new(bin());
    c.arg("-w")
        .arg(t.root())
        .arg("serve")
        .env("REXIAN_NOW", now)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

fn sigterm(child: &Child) {
    // SAFETY: sending a signal to a child process we started.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
}

fn wait_exit(mut child: Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            panic!("the daemon did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls until `cond` holds (reading the warehouse between the daemon's jobs).
fn wait_for(limit: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let started = Instant::now();
    while !cond() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn ledger(t: &TestWs) -> Vec<(String, String, String)> {
    let db = t.db();
    let mut s = db
        .prepare("select job, period, status from run_ledger order by run_id")
        .unwrap();
    let rows = s
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn the_inbox_is_loaded_archived_or_rejected_and_the_monthly_report_appears() {
    let t = daemon_ws("quarterly = \"\"\npilot_summary = \"\"");
    let files = drop_months(&t, "2024-01", "2024-02", 300);
    std::fs::write(inbox(&t).join("坏文件.csv"), "这不是工单导出\n1,2\n").unwrap();
    // 07:00 on 2 March: both months' reports are due (February's at 06:00 that day).
    ok(&run_at(
        &t,
        "2024-03-02 07:00:00",
        &["serve", "--once"],
        &[],
    ));

    assert_eq!(names(&inbox(&t)), Vec::<String>::new());
    let archived = names(&t.root().join("archive"));
    for f in &files {
        assert!(archived.contains(&f.file_name().unwrap().to_string_lossy().into_owned()));
    }
    let rejected = names(&t.root().join("rejected"));
    assert_eq!(rejected, ["坏文件.csv", "坏文件.csv.reason.txt"]);
    let reason = std::fs::read_to_string(t.root().join("rejected/坏文件.csv.reason.txt")).unwrap();
    assert!(reason.contains("no header row"), "{reason}");
    assert!(reason.contains("put it back into the inbox"), "{reason}");

    let reports = names(&t.root().join("reports"));
    for want in [
        "2024年01月 行政执法监督12345热线数据分析月报.pdf",
        "2024年02月 行政执法监督12345热线数据分析月报.pdf",
        "2024年02月 12345热线执法诉求推送清单.xlsx",
    ] {
        assert!(reports.contains(&want.to_string()), "{reports:?}");
    }
    // March is not due yet.
    assert!(
        !reports.iter().any(|r| r.starts_with("2024年03月")),
        "{reports:?}"
    );
    assert_eq!(t.count("select count(*) from load_ledger"), 2);
    let l = ledger(&t);
    assert_eq!(l[0].0, "inbox");
    assert_eq!(
        l[1],
        ("refresh".into(), "load 2".into(), "succeeded".into())
    );
    assert!(l.iter().all(|r| r.2 == "succeeded"), "{l:?}");

    // The same file dropped again is archived under a free name and changes nothing.
    std::fs::copy(
        t.dir.path().join("gen").join(files[0].file_name().unwrap()),
        &files[0],
    )
    .unwrap();
    let out = ok(&run_at(&t, "2024-03-02 08:00:00", &["run", "inbox"], &[]));
    assert!(out.contains("already load 1"), "{out}");
    assert!(names(&t.root().join("archive"))
        .iter()
        .any(|n| n.ends_with(".1.csv")));
    assert_eq!(t.count("select count(*) from load_ledger"), 2);
}

#[test]
fn an_extract_still_being_copied_stays_in_the_inbox_until_it_is_complete() {
    let t = daemon_ws("quarterly = \"\"\npilot_summary = \"\"");
    let files = drop_months(&t, "2024-01", "2024-01", 100);
    // The fault makes the file grow while it loads, as a copy in progress does.
    let out = ok(&run_at(
        &t,
        "2024-02-01 07:00:00",
        &["run", "inbox"],
        &[("REXIAN_FAULT", "grow-during-load")],
    ));
    assert!(out.contains("still changing, left in the inbox"), "{out}");
    assert_eq!(
        names(&inbox(&t)),
        [files[0].file_name().unwrap().to_string_lossy().into_owned()]
    );
    assert!(names(&t.root().join("rejected")).is_empty());
    assert_eq!(t.count("select count(*) from load_ledger"), 0);

    // The next pass finds it complete and loads it.
    let out = ok(&run_at(&t, "2024-02-01 07:10:00", &["run", "inbox"], &[]));
    assert!(out.contains("load 1"), "{out}");
    assert!(names(&inbox(&t)).is_empty());
    assert_eq!(t.count("select count(*) from load_ledger"), 1);
}

#[test]
fn a_month_of_downtime_is_caught_up_once_per_period_oldest_first() {
    let t = daemon_ws("quarterly = \"\"\npilot_summary = \"\"\npush_list = \"\"");
    drop_months(&t, "2024-01", "2024-04", 200);
    ok(&run_at(
        &t,
        "2024-02-02 07:00:00",
        &["serve", "--once"],
        &[],
    ));
    let monthly = |t: &TestWs| -> Vec<String> {
        ledger(t)
            .into_iter()
            .filter(|r| r.0 == "monthly")
            .map(|r| format!("{} {}", r.1, r.2))
            .collect()
    };
    assert_eq!(monthly(&t), ["2024-01 succeeded"]);
    // Down from 2 February to 3 May: February, March and April are each issued once.
    ok(&run_at(
        &t,
        "2024-05-03 07:00:00",
        &["serve", "--once"],
        &[],
    ));
    assert_eq!(
        monthly(&t),
        [
            "2024-01 succeeded",
            "2024-02 succeeded",
            "2024-03 succeeded",
            "2024-04 succeeded"
        ]
    );
    // Starting again changes nothing.
    ok(&run_at(
        &t,
        "2024-05-10 07:00:00",
        &["serve", "--once"],
        &[],
    ));
    assert_eq!(monthly(&t).len(), 4);
    // May's data has not come: status says what it waits for.
    let status = ok(&run_at(&t, "2024-06-03 07:00:00", &["status"], &[]));
    assert!(
        status.contains("waiting for data through 2024-05-31"),
        "{status}"
    );
    // A period of the wrong kind is refused before anything is recorded.
    let runs_before = t.count("select count(*) from run_ledger");
    let out = run_at(
        &t,
        "2024-05-10 07:00:00",
        &["run", "monthly", "--period", "2024Q1"],
        &[],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a month such as 2024-03"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(t.count("select count(*) from run_ledger"), runs_before);
    // A done period needs --force; with it, a new forced attempt.
    let out = run_at(
        &t,
        "2024-05-10 07:00:00",
        &["run", "monthly", "--period", "2024-03"],
        &[],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    ok(&run_at(
        &t,
        "2024-05-10 07:00:00",
        &["run", "monthly", "--period", "2024-03", "--force"],
        &[],
    ));
    assert_eq!(
        t.count("select count(*) from run_ledger where job = 'monthly' and run_trigger = 'forced'"),
        1
    );
}

#[test]
fn a_second_daemon_refuses_and_sigterm_stops_the_first_cleanly() {
    let t = daemon_ws("inbox = \"*/1 * * * * *\"");
    let first = spawn_daemon(&t, "2024-03-02 07:00:00", &[]);
    wait_for(Duration::from_secs(10), "the daemon to start", || {
        t.run(&["status"]).stdout.starts_with(b"daemon: running")
    });
    let second = run_at(&t, "2024-03-02 07:00:00", &["serve"], &[]);
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("another `rexian serve` is already running"),
        "{err}"
    );
    sigterm(&first);
    let status = wait_exit(first, Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    assert!(t
        .run(&["status"])
        .stdout
        .starts_with(b"daemon: not running"));
}

#[test]
fn sigterm_during_a_load_leaves_a_consistent_warehouse_and_sql_works_meanwhile() {
    let t = daemon_ws(
        "inbox = \"*/1 * * * * *\"\nmonthly = \"\"\nquarterly = \"\"\npilot_summary = \"\"\npush_list = \"\"",
    );
    // December is loaded already (so the lake has something to answer from).
    let december = generate(
        &t.dir.path().join("dec"),
        "2023-12",
        "2023-12",
        300,
        Format::Csv,
        9,
    );
    t.load(&december);
    let files = drop_months(&t, "2024-01", "2024-03", 40_000);
    let daemon = spawn_daemon(&t, "2024-04-02 07:00:00", &[]);
    // While the daemon loads, an analyst's query still answers (from the lake, if need be).
    std::thread::sleep(Duration::from_millis(700));
    let query = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args([
            "sql",
            "--wait",
            "1",
            "--format",
            "csv",
            "-c",
            "select count(*) > 0 as ok from appeals",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    sigterm(&daemon);
    let q = query.wait_with_output().unwrap();
    let status = wait_exit(daemon, Duration::from_secs(60));
    assert!(status.success(), "{status:?}");
    assert_eq!(
        String::from_utf8_lossy(&q.stdout),
        "ok\n是\n",
        "{}",
        String::from_utf8_lossy(&q.stderr)
    );

    // Nothing half-done: every loaded file is archived and accounted for; the others wait.
    let loads = t.count("select count(*) from load_ledger") - 1;
    assert_eq!(names(&t.root().join("archive")).len() as i64, loads);
    assert_eq!(names(&inbox(&t)).len() as i64, files.len() as i64 - loads);
    assert_eq!(
        t.count("select count(*) from run_ledger where status = 'running'"),
        0
    );
    if loads < files.len() as i64 {
        // Stopped between files: the run says so, and is due again.
        assert_eq!(
            t.count(
                "select count(*) from run_ledger where job = 'inbox' and status = 'interrupted'"
            ),
            1
        );
    }
    assert_eq!(
        t.count("select count(*) from appeals"),
        t.count("select coalesce(sum(rows_inserted), 0) from load_ledger")
    );
    // The next start completes the work, each file loaded once.
    ok(&run_at(
        &t,
        "2024-04-02 07:05:00",
        &["serve", "--once"],
        &[],
    ));
    assert_eq!(t.count("select count(*) from load_ledger"), 4);
    assert_eq!(names(&inbox(&t)), Vec::<String>::new());
    ok(&t.run(&["check"]));
}

#[test]
fn a_failing_job_is_retried_then_stays_failed_while_others_keep_running() {
    let t = daemon_ws(
        "inbox = \"*/1 * * * * *\"\nquarterly = \"\"\npilot_summary = \"\"\nretry_seconds = 1\nmax_attempts = 2",
    );
    drop_months(&t, "2024-01", "2024-01", 200);
    let fault = [("REXIAN_FAULT", "fail-job:monthly")];
    let daemon = spawn_daemon(&t, "2024-02-02 07:00:00", &fault);
    wait_for(
        Duration::from_secs(30),
        "two failed monthly attempts",
        || {
            t.root().join("warehouse").exists()
                && rexian::warehouse::open(
                    &t.ws.warehouse_path(),
                    rexian::warehouse::Access::ReadOnly,
                    Duration::from_secs(2),
                )
                .ok()
                .and_then(|db| {
                    db.query_row(
                    "select count(*) from run_ledger where job = 'monthly' and status = 'failed'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .ok()
                }) == Some(2)
        },
    );
    // Given up after two attempts: no third, even with time to spare.
    std::thread::sleep(Duration::from_secs(3));
    sigterm(&daemon);
    assert!(wait_exit(daemon, Duration::from_secs(20)).success());
    let l = ledger(&t);
    let monthly: Vec<_> = l.iter().filter(|r| r.0 == "monthly").collect();
    assert_eq!(monthly.len(), 2, "{l:?}");
    assert!(
        l.contains(&("push_list".into(), "2024-01".into(), "succeeded".into())),
        "{l:?}"
    );
    let error: String = t
        .db()
        .query_row(
            "select error from run_ledger where job = 'monthly' order by run_id desc limit 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(error.contains("injected failure"), "{error}");
    let status = ok(&run_at(&t, "2024-02-02 08:00:00", &["status"], &[]));
    assert!(status.contains("FAILED 2×, given up"), "{status}");
    // Once the cause is gone, `rexian run` does it.
    ok(&run_at(
        &t,
        "2024-02-02 08:00:00",
        &["run", "monthly", "--period", "2024-01"],
        &[],
    ));
    assert!(t
        .root()
        .join("reports/2024年01月 行政执法监督12345热线数据分析月报.pdf")
        .exists());
}

#[test]
fn a_sigkill_mid_load_is_repaired_by_the_next_start() {
    let t = daemon_ws(
        "inbox = \"*/1 * * * * *\"\nmonthly = \"\"\nquarterly = \"\"\npilot_summary = \"\"\npush_list = \"\"",
    );
    let files = drop_months(&t, "2024-01", "2024-02", 40_000);
    let mut daemon = spawn_daemon(&t, "2024-03-02 07:00:00", &[]);
    std::thread::sleep(Duration::from_millis(800));
    daemon.kill().unwrap(); // SIGKILL
    daemon.wait().unwrap();
    // Whatever the moment: the next start repairs the ledger and completes the loads.
    ok(&run_at(
        &t,
        "2024-03-02 07:05:00",
        &["serve", "--once"],
        &[],
    ));
    assert_eq!(
        t.count("select count(*) from load_ledger"),
        files.len() as i64
    );
    assert_eq!(names(&inbox(&t)), Vec::<String>::new());
    assert_eq!(
        t.count("select count(*) from run_ledger where status = 'running'"),
        0
    );
    assert_eq!(
        t.count("select count(*) from appeals"),
        t.count("select sum(rows_inserted) from load_ledger")
    );
    ok(&t.run(&["check"]));
}

#[test]
fn a_job_set_for_six_oclock_fires_at_six_shanghai_time_exactly_once() {
    // Monthly at 06:00 on the 2nd; the daemon starts three seconds before, Shanghai time.
    let t = daemon_ws(
        "inbox = \"*/1 * * * * *\"\nquarterly = \"\"\npilot_summary = \"\"\npush_list = \"\"",
    );
    drop_months(&t, "2024-01", "2024-02", 200);
    let daemon = spawn_daemon(&t, "2024-03-02 05:59:57", &[]);
    wait_for(Duration::from_secs(20), "February's report", || {
        t.root()
            .join("reports/2024年02月 行政执法监督12345热线数据分析月报.pdf")
            .exists()
    });
    std::thread::sleep(Duration::from_secs(4));
    sigterm(&daemon);
    assert!(wait_exit(daemon, Duration::from_secs(20)).success());
    let db = t.db();
    let mut s = db
        .prepare("select period, epoch_ms(started_at) from run_ledger where job = 'monthly' order by run_id")
        .unwrap();
    let shanghai: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
    let runs: Vec<(String, String)> = s
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .map(|(p, ms)| {
            let t = chrono::DateTime::from_timestamp_millis(ms)
                .unwrap()
                .with_timezone(&shanghai);
            (p, t.format("%H:%M:%S").to_string())
        })
        .collect();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(runs[0].0, "2024-01");
    assert_eq!(runs[1].0, "2024-02");
    // Not before 06:00:00, and at once after it.
    assert!(
        runs[1].1.as_str() >= "06:00:00" && runs[1].1.as_str() <= "06:00:02",
        "{runs:?}"
    );
}
