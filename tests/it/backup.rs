//! `rexian backup` and `rexian restore`: a backup waits for a running job, is whole and
//! self-describing, and restores to the same rows and figures; damage and occupied folders
//! are refused.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::util::*;

fn figures(ws: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for args in [
        &[
            "indicators",
            "--period",
            "2024-02",
            "--by",
            "department",
            "--format",
            "csv",
        ][..],
        &[
            "indicators",
            "--period",
            "2024Q1",
            "--by",
            "region",
            "--format",
            "csv",
        ],
        &["grade", "--period", "2024-03", "--format", "csv"],
        &["ledger"],
    ] {
        out.push(ok(&run_in(ws, args)));
    }
    out
}

#[test]
fn a_backup_taken_while_a_job_runs_restores_to_the_same_rows_and_figures() {
    let t = sample_ws();
    // An extract waits in the inbox, and a job holds the workspace, as the daemon does while
    // it works: the backup waits for the job and takes neither.
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/csv");
    std::fs::copy(
        sample.join("12345热线工单_2024-03.csv"),
        t.root().join("inbox/12345热线工单_2024-03.csv"),
    )
    .unwrap();
    // The office's own files beside the warehouse: a model and a unit's paragraph.
    let own = [
        "models/scope_field.model",
        "unit-texts/兖州区/2024Q1/工作动态.txt",
    ];
    for (i, f) in own.iter().enumerate() {
        let p = t.root().join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("file {i}")).unwrap();
    }
    let held = rexian::schedule::lock::job(&t.ws, Duration::from_secs(5)).unwrap();
    let dir = t.dir.path().join("backup");
    let child = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .arg("backup")
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(!dir.exists(), "the backup did not wait for the running job");
    drop(held);
    let out = child.wait_with_output().unwrap();
    let said = ok(&out);
    assert!(said.contains("secret.key is not in it"), "{said}");

    let manifest: rexian::backup::Manifest =
        serde_json::from_slice(&std::fs::read(dir.join("MANIFEST.json")).unwrap()).unwrap();
    let paths: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
    for p in ["warehouse/rexian.duckdb", "rexian.toml", "archive-list.csv"] {
        assert!(paths.contains(&p), "{p} not in {paths:?}");
    }
    assert!(paths
        .iter()
        .any(|p| p.starts_with("lake/appeals/year=2024/month=03/")));
    assert!(paths.iter().any(|p| p.starts_with("loads/")), "{paths:?}");
    assert!(!paths.contains(&"secret.key") && !manifest.includes_key);
    assert!(!paths.iter().any(|p| p.starts_with("inbox/")));
    assert_eq!(manifest.appeals, t.count("select count(*) from appeals"));
    assert_eq!(manifest.loads, 3);
    let list = std::fs::read_to_string(dir.join("archive-list.csv")).unwrap();
    assert_eq!(list.lines().count(), 1 + 3, "{list}");

    // Restored into a new folder, with the key brought apart: the same rows and figures, and
    // the checks pass.
    let new = t.dir.path().join("restored");
    let backup = dir.to_str().unwrap();
    let out = run_in(&new, &["restore", backup]);
    let said = ok(&out);
    assert!(said.contains("checked against the manifest"), "{said}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no secret.key"));
    std::fs::copy(t.root().join("secret.key"), new.join("secret.key")).unwrap();
    for (i, f) in own.iter().enumerate() {
        assert_eq!(
            std::fs::read_to_string(new.join(f)).unwrap(),
            format!("file {i}")
        );
    }
    // The stand-in is no model: it goes before the figures are compared.
    std::fs::remove_file(new.join(own[0])).unwrap();
    std::fs::remove_file(t.root().join(own[0])).unwrap();
    ok(&run_in(&new, &["check"]));
    assert_eq!(figures(&new), figures(t.root()));
    // The queued extract loads into the restored workspace as into the original.
    for ws in [t.root(), new.as_path()] {
        let march = sample.join("12345热线工单_2024-03.csv");
        ok(&run_in(ws, &["ingest", march.to_str().unwrap(), "--force"]));
    }

    // A folder with a workspace is not overwritten without --force.
    let again = run_in(&new, &["restore", backup]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    ok(&run_in(&new, &["restore", "--force", backup]));
    assert_eq!(figures(&new)[..3], figures(t.root())[..3]);

    // A damaged backup is refused before anything is written.
    let damaged = t.dir.path().join("damaged");
    copy_dir(&dir, &damaged);
    let toml = damaged.join("rexian.toml");
    let mut bytes = std::fs::read(&toml).unwrap();
    bytes.push(b'\n');
    std::fs::write(&toml, bytes).unwrap();
    let target = t.dir.path().join("from-damaged");
    let o = run_in(&target, &["restore", damaged.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("rexian.toml") && err.contains("damaged"),
        "{err}"
    );
    assert!(!target.exists());

    // A backup never goes into a folder that holds files.
    let o = t.run(&["backup", new.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not empty"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
