//! A load killed at any moment leaves the previous state intact, and the next run completes it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rexian::generate::Format;

use super::util::*;

fn rexian(t: &TestWs) -> Command {
    let mut c = Command::new(bin());
    c.arg("--workspace")
        .arg(t.root())
        .arg("ingest")
        .arg("--quiet");
    c.stdout(Stdio::null()).stderr(Stdio::null());
    c
}

#[test]
fn sigkill_in_the_middle_of_a_load_keeps_the_previous_state_and_a_rerun_completes_it() {
    let t = TestWs::new();
    let small = generate(
        &t.dir.path().join("small"),
        "2024-01",
        "2024-01",
        100,
        Format::Csv,
        51,
    );
    t.load(&small);
    let before = (
        t.content_hash(),
        t.count("select count(*) from load_ledger"),
    );
    let big = generate(
        &t.dir.path().join("big"),
        "2024-02",
        "2024-02",
        200_000,
        Format::Csv,
        52,
    );

    // Kill at several moments (hashing, parsing, staging, writing); each must leave no trace.
    let mut kills = 0;
    for delay_ms in [150u64, 400, 900] {
        let mut child = rexian(&t).arg(&big[0]).spawn().unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(delay_ms)
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        if child.try_wait().unwrap().is_some() {
            break; // it finished first; later delays cannot kill it either
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        assert_eq!(
            (
                t.content_hash(),
                t.count("select count(*) from load_ledger")
            ),
            before,
            "after a kill at {delay_ms} ms"
        );
    }
    assert!(
        kills >= 2,
        "the load finished too fast to be killed; make the file bigger"
    );
    let leftovers: Vec<_> = super::privacy::walk(&t.ws.lake_path())
        .into_iter()
        .filter(|p| !p.display().to_string().ends_with("appeals.parquet"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let status = rexian(&t).arg(&big[0]).status().unwrap();
    assert!(status.success());
    assert_eq!(t.count("select count(*) from load_ledger"), 2);
    let (_, rows) = read_csv(&big[0]);
    assert!(t.count("select count(*) from appeals") >= rows.len() as i64);
    assert_eq!(t.count("select count(*) from lake_pending"), 0);
}

#[test]
fn a_crash_between_commit_and_lake_write_is_repaired_by_the_next_run() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-02",
        100,
        Format::Csv,
        53,
    );
    let status = rexian(&t)
        .arg(&files[0])
        .env("REXIAN_FAULT", "after-commit")
        .status()
        .unwrap();
    assert!(!status.success(), "the injected fault aborts the process");
    assert_eq!(
        t.count("select count(*) from load_ledger"),
        1,
        "the load itself was committed"
    );
    assert!(t.count("select count(*) from lake_pending") > 0);
    assert!(
        super::privacy::walk(&t.ws.lake_path()).is_empty(),
        "the lake was not written"
    );

    let status = rexian(&t).arg(&files[0]).status().unwrap();
    assert!(status.success());
    assert_eq!(t.count("select count(*) from lake_pending"), 0);
    assert!(!super::privacy::walk(&t.ws.lake_path()).is_empty());
    assert_eq!(
        t.count("select count(*) from load_ledger"),
        1,
        "the file was not loaded twice"
    );
}

#[test]
fn a_file_that_grows_while_it_loads_is_refused_and_loads_once_complete() {
    // A copy still in progress reads as a prefix of the file: it must not load as if whole.
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-01",
        80,
        Format::Csv,
        54,
    );
    let out = rexian(&t)
        .arg(&files[0])
        .env("REXIAN_FAULT", "grow-during-load")
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("changed while it was being loaded"),
        "{stderr}"
    );
    assert_eq!(t.count("select count(*) from load_ledger"), 0);
    assert_eq!(t.count("select count(*) from appeals"), 0);

    // Complete now (one more blank line at the end): it loads, every row accounted for.
    let out = rexian(&t).arg(&files[0]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, rows) = read_csv(&files[0]);
    assert_eq!(t.count("select count(*) from appeals"), rows.len() as i64);
}
