//! The binary: help that reads like a manual, exit statuses, messages that say what to do.

use std::process::Command;

use rexian::generate::Format;

use super::util::*;

#[test]
fn help_reads_like_a_manual() {
    let out = Command::new(bin()).arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for word in [
        "init",
        "generate",
        "ingest",
        "ledger",
        "demo",
        "--workspace",
        "Exit status",
    ] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
    let out = Command::new(bin())
        .args(["ingest", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("rejects.csv") && text.contains("--encoding"),
        "{text}"
    );
}

#[test]
fn ingest_reports_accounting_and_exit_status() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-01",
        60,
        Format::CsvGbk,
        61,
    );
    let bad = t.dir.path().join("bad.csv");
    std::fs::write(&bad, "").unwrap();
    let out = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args(["ingest", "-q"])
        .arg(&files[0])
        .arg(&bad)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(3),
        "a refused file gives status 3\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("12345热线工单_2024-01.csv") && stdout.contains("REFUSED"),
        "{stdout}"
    );
    assert!(stderr.contains("bad.csv: the file is empty"), "{stderr}");
    assert!(t.count("select count(*) from appeals") > 60);

    let out = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args(["ingest", "-q"])
        .arg(&files[0])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("already loaded"));
}

#[test]
fn a_folder_that_is_not_a_workspace_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("-w")
        .arg(dir.path())
        .args(["ingest", "x.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a rexian workspace") && err.contains("rexian init"),
        "{err}"
    );
}

#[test]
fn a_missing_masking_key_stops_the_load_and_says_what_to_do() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-01",
        20,
        Format::Csv,
        62,
    );
    std::fs::remove_file(t.root().join("secret.key")).unwrap();
    let out = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args(["ingest", "-q"])
        .arg(&files[0])
        .env_remove("REXIAN_MASK_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no masking key") && err.contains("restore"),
        "{err}"
    );
    assert!(
        !t.ws.warehouse_path().exists(),
        "nothing was written without a key"
    );
}
