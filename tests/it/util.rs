//! Helpers: temporary workspaces, generated extracts, loading, and reading back.

use std::path::{Path, PathBuf};

use rexian::config::Workspace;
use rexian::generate::{self, Format, Options};
use rexian::ingest::{EncodingChoice, Loader, Outcome};
use rexian::reference::Reference;

/// A workspace in a temporary folder, deleted at the end of the test.
pub struct TestWs {
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
}

impl TestWs {
    pub fn new() -> TestWs {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::init(&dir.path().join("ws")).unwrap();
        // One fixed key for every test workspace: the key is an input, and comparisons
        // between workspaces need the same one.
        std::fs::write(ws.root.join("secret.key"), "5eed".repeat(16)).unwrap();
        TestWs { dir, ws }
    }

    pub fn root(&self) -> &Path {
        &self.ws.root
    }

    /// Loads files through the library, as `rexian ingest` does.
    pub fn load(&self, files: &[PathBuf]) -> Vec<Outcome> {
        self.load_with(files, false)
    }

    pub fn load_with(&self, files: &[PathBuf], force: bool) -> Vec<Outcome> {
        let opts = rexian::ingest::Options {
            encoding: EncodingChoice::Auto,
            as_of: None,
            force,
            progress: false,
        };
        let mut loader = Loader::open(&self.ws, opts).unwrap();
        loader.load_all(files).unwrap().0
    }

    /// A read-only connection for assertions (closed when dropped).
    pub fn db(&self) -> duckdb::Connection {
        rexian::warehouse::open(
            &self.ws.warehouse_path(),
            rexian::warehouse::Access::ReadOnly,
            std::time::Duration::from_secs(5),
        )
        .unwrap()
    }

    /// A read-write connection, for planting defects (closed when dropped).
    pub fn db_rw(&self) -> duckdb::Connection {
        rexian::warehouse::open(
            &self.ws.warehouse_path(),
            rexian::warehouse::Access::ReadWrite,
            std::time::Duration::from_secs(5),
        )
        .unwrap()
    }

    /// Runs the `rexian` binary on this workspace.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        run_in(self.root(), args)
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.db().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// A fingerprint of the appeals' content, provenance excluded.
    pub fn content_hash(&self) -> String {
        self.db()
            .query_row(
                "select coalesce(md5(string_agg(state_hash, ',' order by ticket_id)), '') from appeals",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }
}

/// Generates extracts into `dir`.
pub fn generate(
    dir: &Path,
    from: &str,
    to: &str,
    per_month: u32,
    format: Format,
    seed: u64,
) -> Vec<PathBuf> {
    let opts = Options {
        out: dir.to_path_buf(),
        from: from.parse().unwrap(),
        to: to.parse().unwrap(),
        seed,
        per_month,
        format,
        pilot_start: "2023-11".parse().unwrap(),
    };
    let m = generate::generate(&opts, &Reference::built_in().unwrap(), |_| {}).unwrap();
    m.files.iter().map(|f| dir.join(&f.name)).collect()
}

/// The summary of a load that must have succeeded.
pub fn loaded(o: &Outcome) -> &rexian::ingest::LoadSummary {
    match o {
        Outcome::Loaded(s) => s,
        Outcome::AlreadyLoaded { path, .. } => panic!("{} was already loaded", path.display()),
        Outcome::Refused { path, error } => panic!("{} refused: {error:#}", path.display()),
    }
}

/// The error of a load that must have been refused.
pub fn refused(o: &Outcome) -> String {
    match o {
        Outcome::Refused { error, .. } => format!("{error:#}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Reads a UTF-8 (BOM or not) CSV extract: header and rows.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Writes a CSV file (UTF-8 with BOM) from rows of text.
pub fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(w.into_inner().unwrap());
    std::fs::write(path, bytes).unwrap();
}

/// Path of the built `rexian` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rexian"))
}

/// Runs the `rexian` binary on the workspace folder `ws` (one that is not a [`TestWs`]: a
/// restored copy, a workspace on another disk).
pub fn run_in(ws: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(bin())
        .arg("-w")
        .arg(ws)
        .args(args)
        .output()
        .unwrap()
}

/// A workspace with the committed sample extracts (data/sample/csv) loaded and refreshed.
pub fn sample_ws() -> TestWs {
    let t = TestWs::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/csv");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    t.load(&files);
    let out = std::process::Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .arg("refresh")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

/// Asserts that a run of the binary succeeded (showing its output when not) and returns its
/// standard output.
pub fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
