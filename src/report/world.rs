//! The single seam between Typst and the rest of rexian: a `World` that sees only the
//! templates built into rexian (`report-templates/`) and the in-memory files of one document
//! (its data as JSON, its charts as SVG), with the fonts found once per process.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{bail, Result};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_kit::fonts::FontStore;

/// The templates built into rexian: (file name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "common.typ",
        include_str!("../../report-templates/common.typ"),
    ),
    (
        "letter.typ",
        include_str!("../../report-templates/letter.typ"),
    ),
    (
        "period-report.typ",
        include_str!("../../report-templates/period-report.typ"),
    ),
];

/// CJK font families a document can be set in, the official ones first.
pub const CJK_FAMILIES: &[&str] = &[
    "FangSong",
    "仿宋_GB2312",
    "Noto Serif CJK SC",
    "Noto Sans CJK SC",
    "Source Han Serif SC",
    "Source Han Sans SC",
];

/// The font stores made so far, by their extra folders: a process (the daemon) that is told
/// of other `[report] font_dirs` gets a store with them, without scanning the system's fonts
/// again for every report.
static FONTS: Mutex<Vec<(Vec<PathBuf>, Arc<FontStore>)>> = Mutex::new(Vec::new());

/// The fonts of the system and of the extra folders, found once per process and folder list.
pub fn fonts(extra_dirs: &[PathBuf]) -> Arc<FontStore> {
    let mut stores = FONTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, store)) = stores.iter().find(|(dirs, _)| dirs == extra_dirs) {
        return store.clone();
    }
    let mut store = FontStore::new();
    store.extend(typst_kit::fonts::system());
    for d in extra_dirs {
        store.extend(typst_kit::fonts::scan(d));
    }
    let store = Arc::new(store);
    stores.push((extra_dirs.to_vec(), store.clone()));
    store
}

/// The family the charts' text is set in: the first of `chain` (the heading role) that is
/// installed, else Noto Sans CJK SC.
pub fn chart_family(store: &FontStore, chain: &[String]) -> String {
    let book = store.book();
    chain
        .iter()
        .map(String::as_str)
        .chain([
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "Noto Serif CJK SC",
        ])
        .find(|f| book.select_family(&f.to_lowercase()).next().is_some())
        .unwrap_or("sans-serif")
        .to_string()
}

/// Fails with the package to install when no CJK font is available.
///
/// # Errors
/// When none of [`CJK_FAMILIES`] is installed.
pub fn require_cjk(store: &FontStore) -> Result<()> {
    let book = store.book();
    let found = CJK_FAMILIES
        .iter()
        .any(|f| book.select_family(&f.to_lowercase()).next().is_some());
    if !found {
        bail!(
            "no Chinese font found for the reports (looked for {}). Install one: \
             `apt-get install fonts-noto-cjk` (Debian/Ubuntu), or put the official fonts in a \
             folder and name it in rexian.toml [report] font_dirs",
            CJK_FAMILIES.join(", ")
        );
    }
    Ok(())
}

/// One document's world.
pub struct ReportWorld {
    library: LazyHash<Library>,
    fonts: Arc<FontStore>,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

fn id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| anyhow::anyhow!("{path}: {e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl ReportWorld {
    /// A world whose main file is the template `main`, with `data` as `/data.json` and the
    /// document's date fixed (no wall clock: the same data gives the same bytes).
    ///
    /// # Errors
    /// When the template is unknown.
    pub fn new(
        main: &str,
        data: Vec<u8>,
        extra: &[(String, Vec<u8>)],
        today: Datetime,
        fonts: Arc<FontStore>,
    ) -> Result<Self> {
        let mut sources = HashMap::new();
        for (name, text) in TEMPLATES {
            let fid = id(&format!("/{name}"))?;
            sources.insert(fid, Source::new(fid, (*text).to_string()));
        }
        let main_id = id(&format!("/{main}"))?;
        if !sources.contains_key(&main_id) {
            bail!("no template {main}");
        }
        let mut files = HashMap::new();
        files.insert(id("/data.json")?, Bytes::new(data));
        for (path, bytes) in extra {
            files.insert(id(path)?, Bytes::new(bytes.clone()));
        }
        Ok(ReportWorld {
            library: LazyHash::new(Library::default()),
            fonts,
            main: main_id,
            sources,
            files,
            today,
        })
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::AccessDenied)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        if let Some(s) = self.sources.get(&id) {
            return Ok(Bytes::from_string(s.text().to_string()));
        }
        // Nothing else exists for a report: no file of the machine can be read.
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_chinese_font_the_error_names_the_package() {
        let e = require_cjk(&FontStore::new()).unwrap_err().to_string();
        assert!(e.contains("apt-get install fonts-noto-cjk"), "{e}");
        assert!(e.contains("font_dirs"), "{e}");
        // Latin fonts alone are not enough.
        let mut latin = FontStore::new();
        for dir in [
            "/usr/share/fonts/truetype/dejavu",
            "/usr/share/fonts/truetype/liberation",
        ] {
            latin.extend(typst_kit::fonts::scan(std::path::Path::new(dir)));
        }
        assert!(require_cjk(&latin).is_err());
        // The system's fonts (fonts-noto-cjk, installed by scripts/setup.sh) are.
        assert!(require_cjk(&fonts(&[])).is_ok());
    }
}
