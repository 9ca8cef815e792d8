//! A full disk: a load, a refresh, a report and a scheduled job that run out of space roll
//! back, leave no partial file, say which folder is full, and work again once there is room.
//! The workspace lives on a small tmpfs; the test needs root (to mount it) and says when it
//! is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::util::*;

/// A tmpfs mounted for the test, unmounted when dropped.
struct Small(PathBuf);

impl Small {
    fn mount(megabytes: u32) -> Option<Small> {
        let dir = tempfile::tempdir().ok()?.keep();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&dir)
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then_some(Small(dir))
    }
}

impl Drop for Small {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Fills the disk of `dir` up to `leave` bytes (again, when a failed command gave some back).
fn fill(dir: &Path, leave: u64) -> PathBuf {
    let free = rexian::fsutil::free_bytes(dir).unwrap();
    let filler = dir.join("filler");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&filler)
        .unwrap();
    // Written for real: a sparse file takes no room on tmpfs.
    let chunk = vec![0u8; 1 << 20];
    let mut left = free.saturating_sub(leave);
    let mut w = std::io::BufWriter::new(f);
    use std::io::Write;
    while left > 0 {
        let n = left.min(chunk.len() as u64) as usize;
        if w.write_all(&chunk[..n]).is_err() {
            break;
        }
        left -= n as u64;
    }
    let _ = w.flush();
    filler
}

/// Files a crash or a failed write could leave: temporary names and write-ahead logs.
fn leftovers(ws: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![ws.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.contains(".tmp-") || name.ends_with(".wal") {
                    out.push(p.display().to_string());
                }
            }
        }
    }
    out
}

#[test]
fn a_full_disk_rolls_back_says_which_folder_and_works_again_with_room() {
    let Some(small) = Small::mount(32) else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and mount)");
        return;
    };
    let ws = small.0.join("ws");
    ok(&Command::new(bin()).arg("init").arg(&ws).output().unwrap());
    std::fs::write(ws.join("secret.key"), "5eed".repeat(16)).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/csv");
    let file = |m: &str| sample.join(format!("12345热线工单_2024-{m}.csv"));
    ok(&run_in(&ws, &["ingest", file("01").to_str().unwrap()]));
    ok(&run_in(&ws, &["refresh"]));
    let ledger = |ws: &Path| {
        let db = duckdb::Connection::open_with_flags(
            ws.join("warehouse/rexian.duckdb"),
            duckdb::Config::default()
                .access_mode(duckdb::AccessMode::ReadOnly)
                .unwrap(),
        )
        .unwrap();
        let n: i64 = db
            .query_row("select count(*) from load_ledger", [], |r| r.get(0))
            .unwrap();
        let a: i64 = db
            .query_row("select count(*) from appeals", [], |r| r.get(0))
            .unwrap();
        (n, a)
    };
    let before = ledger(&ws);
    let filler = fill(&small.0, 200 << 10);

    // A load: refused, rolled back, the folder named.
    let out = run_in(&ws, &["ingest", file("02").to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("The disk is full: warehouse (") && err.contains("Nothing was half-written"),
        "{err}"
    );
    assert_eq!(ledger(&ws), before);
    // A refresh: the models stay as they were.
    let out = run_in(&ws, &["refresh"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("The disk is full: warehouse ("), "{err}");
    // A report: no partial PDF. (How much room a failed refresh gives back depends on how
    // far it got, so the disk is filled up again first.)
    fill(&small.0, 200 << 10);
    let reports = ws.join("reports");
    let out = run_in(
        &ws,
        &[
            "report",
            "monthly",
            "2024-01",
            "--out",
            reports.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("The disk is full: "), "{err}");
    assert_eq!(std::fs::read_dir(&reports).unwrap().count(), 0);
    assert!(leftovers(&ws).is_empty(), "{:?}", leftovers(&ws));
    // A scheduled job fails the same way, and the run ledger says why.
    let out = run_in(&ws, &["run", "monthly", "--period", "2024-01"]);
    assert!(!out.status.success());
    let status = String::from_utf8_lossy(&run_in(&ws, &["status"]).stdout).into_owned();
    assert!(status.contains("The disk is full"), "{status}");

    // With room again, everything works and nothing was lost.
    std::fs::remove_file(&filler).unwrap();
    ok(&run_in(&ws, &["ingest", file("02").to_str().unwrap()]));
    assert_eq!(ledger(&ws).0, before.0 + 1);
    ok(&run_in(&ws, &["refresh"]));
    ok(&run_in(&ws, &["check"]));
    ok(&run_in(
        &ws,
        &[
            "report",
            "monthly",
            "2024-01",
            "--out",
            reports.to_str().unwrap(),
        ],
    ));
    assert_eq!(std::fs::read_dir(&reports).unwrap().count(), 1);
    // The failed job runs again and succeeds.
    ok(&run_in(&ws, &["run", "monthly", "--period", "2024-01"]));
}
