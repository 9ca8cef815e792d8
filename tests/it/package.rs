//! The Debian package (`scripts/package.sh`): installed on this machine, it gives a working
//! `rexian`, a `rexian` user and the workspace /srv/rexian with a key only that user reads;
//! an upgrade keeps the workspace as it was; removal takes the binary and leaves the data.
//! Runs only as root with dpkg, and only when neither the package nor /srv/rexian is there
//! already (it never touches a real installation); it says when it is skipped.

use std::path::Path;
use std::process::Command;

use super::util::*;

fn sh(cmd: &str) -> std::process::Output {
    Command::new("sh").arg("-c").arg(cmd).output().unwrap()
}

fn build(version: &str, out: &Path) -> std::path::PathBuf {
    let o = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/package.sh"))
        .arg(out)
        .env("REXIAN_BIN", bin())
        .env("REXIAN_DEB_VERSION", version)
        .env("REXIAN_DEB_FAST", "1")
        .output()
        .unwrap();
    ok(&o);
    out.join(format!("rexian_{version}_amd64.deb"))
}

#[test]
fn the_package_installs_upgrades_keeping_the_workspace_and_removes_cleanly() {
    let root = sh("id -u").stdout == b"0\n";
    let dpkg = sh("command -v dpkg && command -v dpkg-deb")
        .status
        .success();
    if !root || !dpkg {
        eprintln!("skipped: installing the package needs root and dpkg");
        return;
    }
    if Path::new("/srv/rexian").exists() || sh("dpkg -s rexian").status.success() {
        eprintln!("skipped: rexian is installed here already (/srv/rexian or the package)");
        return;
    }
    // Its dependencies are what the tests need anyway (the CJK font); dpkg must not fail on them.
    if !sh("dpkg -s fonts-noto-cjk passwd libstdc++6")
        .status
        .success()
    {
        eprintln!("skipped: the package's dependencies are not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let first = build("0.1.0", dir.path());
    let size = std::fs::metadata(&first).unwrap().len();
    assert!(size > 1 << 20, "{size} bytes");
    let installed = sh(&format!("dpkg -i {}", first.display()));
    ok(&installed);
    let cleanup = || {
        let _ = sh("dpkg --purge rexian; rm -rf /srv/rexian; userdel rexian 2>/dev/null");
    };
    let result = std::panic::catch_unwind(|| {
        let v = sh("/usr/bin/rexian --version");
        assert_eq!(String::from_utf8_lossy(&v.stdout).trim(), "rexian 0.1.0");
        assert!(sh("getent passwd rexian").status.success());
        assert!(Path::new("/lib/systemd/system/rexian.service").is_file());
        let key = sh("stat -c '%U %a' /srv/rexian/secret.key");
        assert_eq!(String::from_utf8_lossy(&key.stdout).trim(), "rexian 600");
        let toml = sh("stat -c '%U' /srv/rexian/rexian.toml");
        assert_eq!(String::from_utf8_lossy(&toml.stdout).trim(), "rexian");

        // The office's workspace: its own settings, key and a marker file.
        std::fs::write(
            "/srv/rexian/rexian.toml",
            "# the office's own\n[report]\nissuer = \"某市司法局\"\n",
        )
        .unwrap();
        std::fs::write("/srv/rexian/inbox/waiting.csv", "x").unwrap();
        let key_before = std::fs::read("/srv/rexian/secret.key").unwrap();

        // An upgrade keeps all of it.
        let second = build("0.1.1", dir.path());
        ok(&sh(&format!("dpkg -i {}", second.display())));
        assert!(String::from_utf8_lossy(&sh("dpkg -s rexian").stdout).contains("Version: 0.1.1"));
        assert_eq!(
            std::fs::read_to_string("/srv/rexian/rexian.toml").unwrap(),
            "# the office's own\n[report]\nissuer = \"某市司法局\"\n"
        );
        assert_eq!(std::fs::read("/srv/rexian/secret.key").unwrap(), key_before);
        assert!(Path::new("/srv/rexian/inbox/waiting.csv").exists());

        // Removal takes the binary and the unit, and leaves the data.
        ok(&sh("dpkg -r rexian"));
        assert!(!Path::new("/usr/bin/rexian").exists());
        assert!(!Path::new("/lib/systemd/system/rexian.service").exists());
        assert!(Path::new("/srv/rexian/secret.key").exists());
    });
    cleanup();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}
