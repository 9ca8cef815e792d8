//! `rexian backup` and `rexian restore`: a consistent, self-describing copy of a workspace,
//! taken while the daemon runs, and its return into a workspace folder.
//!
//! A backup holds the job lock (so no scheduled job runs) and the warehouse open for writing
//! (so no load, refresh or report changes anything) for as long as it copies. It checkpoints
//! the warehouse, so that the file holds everything, then copies:
//! - the warehouse;
//! - `rexian.toml`, the workspace's own templates, and a reference folder inside the workspace;
//! - the lake and the per-load records (`loads/`);
//! - `archive-list.csv`, the files the load ledger has taken, with their SHA-256 (the extracts
//!   themselves stay in `archive/`);
//! - `secret.key`, but only when asked (`--include-key`), with a warning.
//!
//! `MANIFEST.json`, written last, lists every file with its size and SHA-256. The backup is
//! built in a temporary folder beside the target and renamed into place, so a backup folder
//! is whole or absent. `restore` checks every file against the manifest before it writes
//! anything.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::config::{Workspace, CONFIG_FILE};

/// The manifest's file name.
pub const MANIFEST: &str = "MANIFEST.json";

/// One file of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its path inside the backup (and the workspace), with `/`.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, in hex.
    pub sha256: String,
}

/// What a backup is: written as `MANIFEST.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The rexian that wrote it.
    pub rexian_version: String,
    /// The warehouse's schema version.
    pub schema_version: i64,
    /// When it was taken (local time).
    pub taken_at: String,
    /// The workspace it was taken from.
    pub workspace: String,
    /// Loads in the ledger.
    pub loads: i64,
    /// Appeals in the warehouse.
    pub appeals: i64,
    /// Whether `secret.key` is in it.
    pub includes_key: bool,
    /// Every file, by path.
    pub files: Vec<Entry>,
}

/// How long a backup waits for a running job to finish.
pub const JOB_WAIT: std::time::Duration = std::time::Duration::from_secs(3600);

/// Takes a backup of `ws` into `dir` (which must not exist or be empty).
///
/// # Errors
/// When `dir` holds files, a running job does not finish within [`JOB_WAIT`], or a file
/// cannot be read or written (the partial copy is removed).
pub fn backup(ws: &Workspace, dir: &Path, include_key: bool) -> Result<Manifest> {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some())? {
        bail!(
            "{} is not empty: give a new or empty folder for the backup",
            dir.display()
        );
    }
    let mut held = crate::schedule::lock::job(ws, JOB_WAIT)?;
    held.note("rexian backup");
    let conn = crate::warehouse::open(
        &ws.warehouse_path(),
        crate::warehouse::Access::ReadWrite,
        crate::warehouse::LOCK_WAIT,
    )?;
    conn.execute_batch("checkpoint")
        .context("checkpointing the warehouse for the backup")?;
    let parent = absolute_parent(dir)?;
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = crate::fsutil::temp_beside(dir);
    let result = (|| -> Result<Manifest> {
        let mut files = copy_files(ws, &staging, include_key)?;
        let (loads, appeals): (i64, i64) = conn.query_row(
            "select (select count(*) from load_ledger), (select count(*) from appeals)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let list = archive_list(&conn)?;
        let to = staging.join("archive-list.csv");
        crate::fsutil::write_atomic(&to, list.as_bytes())?;
        files.push(entry(&to, "archive-list.csv")?);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let manifest = Manifest {
            rexian_version: crate::VERSION.to_string(),
            schema_version: crate::migrate::version(&conn)?,
            taken_at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            workspace: ws.root.display().to_string(),
            loads,
            appeals,
            includes_key: include_key,
            files,
        };
        crate::fsutil::write_atomic(
            &staging.join(MANIFEST),
            &serde_json::to_vec_pretty(&manifest)?,
        )?;
        if dir.exists() {
            std::fs::remove_dir(dir)
                .with_context(|| format!("cannot replace the empty folder {}", dir.display()))?;
        }
        std::fs::rename(&staging, dir)
            .with_context(|| format!("cannot move the backup into {}", dir.display()))?;
        Ok(manifest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    drop(conn);
    result
}

/// Copies the workspace's files into `staging`: the warehouse (where rexian.toml puts it, so
/// that a restore finds it there), rexian.toml, the lake, the per-load records, the
/// workspace's own templates and reference data, and the key when asked. Returns each with
/// its SHA-256.
fn copy_files(ws: &Workspace, staging: &Path, include_key: bool) -> Result<Vec<Entry>> {
    let mut files = Vec::new();
    let mut add = |from: &Path, rel: &str| -> Result<()> {
        let to = staging.join(rel);
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p).with_context(|| format!("cannot create {}", p.display()))?;
        }
        std::fs::copy(from, &to)
            .with_context(|| format!("cannot copy {} into the backup", from.display()))?;
        files.push(entry(&to, rel)?);
        Ok(())
    };
    // Where the workspace's rexian.toml puts it, so that a restore finds it there.
    let warehouse = ws.warehouse_path();
    let inner = warehouse
        .strip_prefix(&ws.root)
        .map_or_else(|_| "warehouse/rexian.duckdb".to_string(), slashes);
    add(&warehouse, &inner)?;
    // The 督办台账's recorded head goes with the warehouse it vouches for (copied while the
    // warehouse is held, so that no case changes in between).
    let head = crate::casework::log::head_path(ws);
    if head.exists() {
        let inner = head
            .strip_prefix(&ws.root)
            .map_or_else(|_| "warehouse/casework.head".to_string(), slashes);
        add(&head, &inner)?;
    }
    add(&ws.root.join(CONFIG_FILE), CONFIG_FILE)?;
    // The learned model and the units' own paragraphs are the office's too: a restore
    // without them would give other figures and other reports.
    for folder in [
        ws.lake_path(),
        ws.loads_path(),
        ws.root.join("report-templates"),
        ws.root.join("models"),
        ws.path(&ws.config.paths.unit_texts),
    ]
    .into_iter()
    .chain(ws.reference_dir())
    {
        if !folder.starts_with(&ws.root) {
            tracing::warn!(
                "{} is outside the workspace and is not in the backup: back it up yourself",
                folder.display()
            );
            continue;
        }
        for file in files_in(&folder)? {
            let inner = file.strip_prefix(&ws.root).unwrap_or(&file);
            add(&file, &slashes(inner))?;
        }
    }
    if include_key {
        tracing::warn!(
            "the backup holds secret.key: whoever has it can link the masked callers and \
             phones to people who call again. Keep it apart from the data, encrypted"
        );
        add(&ws.path(&ws.config.masking.key_file), "secret.key")?;
    }
    Ok(files)
}

/// Restores the backup in `from` into the workspace folder `to`: every file is checked
/// against the manifest first. A folder that already holds a workspace is refused unless
/// `force`; then its warehouse, lake and per-load records are replaced (its inbox, archive
/// and reports are kept). Returns the manifest.
///
/// # Errors
/// When the manifest is missing or a file does not match it, the backup is of a newer
/// schema than this binary, or `to` holds a workspace and `force` is not given.
pub fn restore(from: &Path, to: &Path, force: bool) -> Result<Manifest> {
    let manifest = verify(from)?;
    if manifest.schema_version > crate::migrate::latest() {
        bail!(
            "the backup {} has schema version {}, and this rexian ({}) knows versions up to \
             {}: restore it with the rexian that took it, or a newer one",
            from.display(),
            manifest.schema_version,
            crate::VERSION,
            crate::migrate::latest()
        );
    }
    let occupied = to.exists() && std::fs::read_dir(to).map(|mut d| d.next().is_some())?;
    if occupied && !force {
        bail!(
            "{} is not empty: restore into a new folder, or add --force to replace its \
             warehouse, lake and load records with the backup's (its inbox, archive and \
             reports stay)",
            to.display()
        );
    }
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    if occupied {
        // The backup's config says where things go; what it replaces goes first, so that
        // no partition or load record of the old state is left beside the restored ones.
        let incoming = Workspace {
            root: crate::fsutil::absolute(to)?,
            config: crate::config::Config::from_toml(&std::fs::read_to_string(
                from.join(CONFIG_FILE),
            )?)?,
        };
        let db = incoming.warehouse_path();
        // The 督办台账's head goes with the warehouse it vouched for.
        let head = crate::casework::log::head_path(&incoming);
        for f in [db.clone(), db.with_extension("duckdb.wal"), head] {
            if f.exists() {
                std::fs::remove_file(&f)
                    .with_context(|| format!("cannot remove {}", f.display()))?;
            }
        }
        for d in [incoming.lake_path(), incoming.loads_path()] {
            if d.exists() {
                std::fs::remove_dir_all(&d)
                    .with_context(|| format!("cannot remove {}", d.display()))?;
            }
        }
    }
    for e in &manifest.files {
        let target = to.join(&e.path);
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).with_context(|| format!("cannot create {}", p.display()))?;
        }
        crate::fsutil::copy_atomic(&from.join(&e.path), &target)?;
    }
    // archive-list.csv is the backup's record, not part of a workspace.
    let _ = std::fs::remove_file(to.join("archive-list.csv"));
    let ws = Workspace::open(to)?;
    ws.create_folders()?;
    if !ws.path(&ws.config.masking.key_file).exists() {
        tracing::warn!(
            "the backup has no secret.key: copy the original key to {} (or set {}) before \
             loading, or the same callers will look new",
            ws.path(&ws.config.masking.key_file).display(),
            ws.config.masking.key_env
        );
    }
    Ok(manifest)
}

/// Reads a backup's manifest and checks every file it lists: present, of its size, of its
/// SHA-256.
///
/// # Errors
/// When the manifest is missing or unreadable, or a file is missing or differs.
pub fn verify(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read(&path).with_context(|| {
        format!(
            "{} has no readable {MANIFEST}: it is not a rexian backup, or the backup did not \
             finish",
            dir.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_slice(&text)
        .with_context(|| format!("{} is not a rexian backup manifest", path.display()))?;
    for e in &manifest.files {
        let file = dir.join(&e.path);
        let got = entry(&file, &e.path)
            .with_context(|| format!("the backup lacks {}, listed in its manifest", e.path))?;
        if got != *e {
            bail!(
                "{} in the backup {} differs from its manifest ({} bytes, SHA-256 {} instead \
                 of {} bytes, {}): the backup is damaged; use another",
                e.path,
                dir.display(),
                got.bytes,
                &got.sha256[..16],
                e.bytes,
                &e.sha256[..16]
            );
        }
    }
    Ok(manifest)
}

/// A file's manifest entry.
fn entry(file: &Path, rel: &str) -> Result<Entry> {
    let (sha256, bytes) = crate::fsutil::sha256_file(file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    Ok(Entry {
        path: rel.to_string(),
        bytes,
        sha256,
    })
}

/// The files under a folder (none when it does not exist), in name order.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    for e in entries {
        let e = e?;
        let p = e.path();
        if e.file_type()?.is_dir() {
            out.extend(files_in(&p)?);
        } else {
            out.push(p);
        }
    }
    out.sort();
    Ok(out)
}

fn slashes(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn absolute_parent(dir: &Path) -> Result<PathBuf> {
    Ok(crate::fsutil::absolute(dir)?
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/")))
}

/// The extracts the load ledger has taken, as CSV.
fn archive_list(conn: &duckdb::Connection) -> Result<String> {
    let mut out = String::from("load_id,file_name,file_sha256,file_bytes,as_of\n");
    let mut stmt = conn.prepare(crate::sql::OPS_ARCHIVE_LIST.text)?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for r in rows {
        let (id, name, sha, bytes, as_of) = r?;
        // A file name may hold a comma or a quote: quoted as CSV does.
        let name = format!("\"{}\"", name.replace('"', "\"\""));
        out.push_str(&format!("{id},{name},{sha},{bytes},{as_of}\n"));
    }
    Ok(out)
}
