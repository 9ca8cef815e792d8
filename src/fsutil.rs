//! Small file-system helpers that keep the "never a half-written file" rule.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A temporary name beside `path`, in the same folder so that a rename is atomic.
pub fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `bytes` to `path` through a temporary file and a rename, so readers see the old
/// file or the new one, never a part.
///
/// # Errors
/// When the folder is not writable or the disk is full.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    let tmp = temp_beside(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

/// Copies `from` to `to` through a temporary file and a rename, so that `to` is the whole
/// copy or absent, never a part.
///
/// # Errors
/// When `from` cannot be read, the folder is not writable or the disk is full.
pub fn copy_atomic(from: &Path, to: &Path) -> Result<()> {
    let tmp = temp_beside(to);
    let result = (|| -> std::io::Result<()> {
        std::fs::copy(from, &tmp)?;
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, to)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

/// Bytes free to an unprivileged writer on the disk holding `path` (or its nearest existing
/// folder), when the system says.
pub fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let mut p = path;
    while !p.exists() {
        p = p.parent()?;
    }
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).ok()?;
    let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string and `s` a statvfs the call fills in.
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut s) };
    (rc == 0).then(|| s.f_bavail as u64 * s.f_frsize as u64)
}

/// Whether an error comes from a full disk: an `ErrorKind::StorageFull` in its chain, or
/// DuckDB's message for one.
pub fn is_disk_full(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::StorageFull)
            || e.to_string().contains("No space left on device")
    })
}

/// For an error from a full disk, the sentence that says which of `folders` (label, path)
/// are on a disk with little room left, and what to do.
pub fn disk_full_hint(err: &anyhow::Error, folders: &[(&str, PathBuf)]) -> Option<String> {
    if !is_disk_full(err) {
        return None;
    }
    // A folder is full when it has less than this left (a load stages its file there).
    const LOW: u64 = 64 << 20;
    let full: Vec<String> = folders
        .iter()
        .filter_map(|(label, p)| {
            let free = free_bytes(p)?;
            (free < LOW).then(|| format!("{label} ({}, {} KB free)", p.display(), free >> 10))
        })
        .collect();
    let which = if full.is_empty() {
        "the disk named above".to_string()
    } else {
        full.join(", ")
    };
    Some(format!(
        "The disk is full: {which}. Nothing was half-written: the transaction was rolled back \
         and no partial file was left. Free some space there, then run the command again."
    ))
}

/// SHA-256 (hex) and size of a file, read in large blocks.
///
/// # Errors
/// When the file cannot be read.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), total))
}

/// `path` made absolute against the current folder (without resolving links).
///
/// # Errors
/// When the current folder cannot be read.
pub fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve the path {}", path.display()))
}

/// The CPU time this process has used so far (user and system, every thread), in seconds:
/// logged beside the wall-clock time of each stage of a load, to show how busy the cores were.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}
