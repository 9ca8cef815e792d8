//! 单位材料: a pilot unit's own paragraphs for a period — 工作动态, 好经验好做法, 存在问题,
//! 下一步打算 — written by the unit as text files in the workspace
//! (`[paths] unit_texts`/区县/期间/工作动态.txt …) and typeset, as text, into its quarterly
//! report and the pilot summary. `rexian status` lists the ones still missing before a
//! report that prints them is due.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::config::Workspace;

/// The parts a unit writes, in the order a report prints them (each a file `PART.txt`).
pub const PARTS: [&str; 4] = ["工作动态", "好经验好做法", "存在问题", "下一步打算"];

/// One part of a unit's text: its heading and paragraphs.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// 工作动态, 好经验好做法, 存在问题 or 下一步打算.
    pub heading: String,
    /// Its paragraphs, one per line of the file (blank lines skipped).
    pub paragraphs: Vec<String>,
}

/// A unit's text for a period: the parts it has written.
#[derive(Debug, Clone, Serialize)]
pub struct UnitTexts {
    /// The unit (区县).
    pub unit: String,
    /// The parts written, in [`PARTS`] order.
    pub parts: Vec<Part>,
}

/// The folder of a unit's text for a period (its key: 2024Q1, PY2023-24).
pub fn folder(ws: &Workspace, unit: &str, period_key: &str) -> PathBuf {
    ws.path(&ws.config.paths.unit_texts)
        .join(unit)
        .join(period_key)
}

/// The parts of a unit's text for a period that are not written yet (no file, or an empty
/// one).
pub fn missing(ws: &Workspace, unit: &str, period_key: &str) -> Vec<&'static str> {
    let dir = folder(ws, unit, period_key);
    PARTS
        .into_iter()
        .filter(|p| {
            std::fs::metadata(dir.join(format!("{p}.txt")))
                .map_or(true, |m| m.len() == 0 || !m.is_file())
        })
        .collect()
}

/// Reads a unit's text for a period; `None` when it wrote none of the parts. The text is
/// masked as the extracts' free text is (names, phones, plates): a report prints it.
///
/// # Errors
/// When a file cannot be read, or is neither UTF-8 nor GBK/GB18030 (the message names it).
pub fn read(ws: &Workspace, unit: &str, period_key: &str) -> Result<Option<UnitTexts>> {
    let dir = folder(ws, unit, period_key);
    let mut parts = Vec::new();
    for p in PARTS {
        let path = dir.join(format!("{p}.txt"));
        if !path.is_file() {
            continue;
        }
        let text = decode(&path)?;
        let paragraphs: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| crate::mask::mask_text(l, None).into_owned())
            .collect();
        if !paragraphs.is_empty() {
            parts.push(Part {
                heading: p.to_string(),
                paragraphs,
            });
        }
    }
    Ok((!parts.is_empty()).then(|| UnitTexts {
        unit: unit.to_string(),
        parts,
    }))
}

/// A text file as written on an office's machine: UTF-8 (with or without BOM) or GBK.
fn decode(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Ok(t.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        bail!(
            "{} is neither UTF-8 nor GBK text; save it as plain text (UTF-8) and make the \
             report again",
            path.display()
        );
    }
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gbk_file_reads_as_its_utf8_twin_and_binary_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let utf8 = dir.path().join("a.txt");
        let gbk = dir.path().join("b.txt");
        std::fs::write(&utf8, "\u{feff}本季度开展线上监督。\n").unwrap();
        std::fs::write(
            &gbk,
            encoding_rs::GB18030.encode("本季度开展线上监督。\n").0,
        )
        .unwrap();
        assert_eq!(decode(&utf8).unwrap(), "本季度开展线上监督。\n");
        assert_eq!(decode(&gbk).unwrap(), decode(&utf8).unwrap());
        let bin = dir.path().join("c.txt");
        std::fs::write(&bin, [0xff, 0xfe, 0xfd, 0x80, 0x81]).unwrap();
        let e = decode(&bin).unwrap_err().to_string();
        assert!(e.contains("c.txt") && e.contains("UTF-8"), "{e}");
    }
}
