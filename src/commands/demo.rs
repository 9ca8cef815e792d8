//! `rexian demo`: the whole flow on the embedded defaults, in a fresh workspace.

use std::path::Path;

use anyhow::Result;

use super::Status;
use crate::generate::{Format, Options};
use crate::reference::Reference;

/// Creates a workspace in `dir`, generates the baseline and pilot years' extracts into its
/// `extracts/` folder, loads them, builds the models, runs the checks, and shows the last
/// month's figures and analyses. (Long, and kept in one piece: it is the tour a new user
/// reads, its numbered steps printed in the order they run.)
///
/// # Errors
/// When any step fails.
pub fn run(dir: &Path, per_month: u32, seed: u64) -> Result<Status> {
    let ws = super::init::run(dir)?;
    let reference = Reference::load(ws.reference_dir().as_deref())?;
    let inbox = ws.root.join("extracts");
    let opts = Options {
        out: inbox.clone(),
        from: ws.config.pilot.baseline_start,
        to: ws.config.pilot.end,
        seed,
        per_month,
        format: Format::Xlsx,
        pilot_start: ws.config.pilot.start,
    };
    println!(
        "\n1. Generating {} months of extracts ({} new appeals a month) into {}",
        opts.from.months_until(opts.to) + 1,
        per_month,
        inbox.display()
    );
    super::generate::run(&opts, &reference)?;
    println!(
        "\n2. Loading them into {} and {}",
        ws.warehouse_path().display(),
        ws.lake_path().display()
    );
    let (status, _) = super::ingest::run(
        &ws,
        &[inbox],
        crate::ingest::Options {
            encoding: crate::ingest::EncodingChoice::Auto,
            as_of: None,
            force: false,
            progress: true,
        },
    )?;
    println!("\n3. Building the SQL models and running the checks");
    let checked = super::refresh::run(&ws)?;
    let status = if status == Status::Success {
        checked
    } else {
        status
    };
    let last = ws.config.pilot.end.to_string();
    println!("\n4. The figures of {last} and of the pilot year");
    let out = |format| super::analyse::Output {
        format,
        csv: crate::output::CsvEncoding::Utf8Bom,
        path: None,
    };
    super::analyse::indicators(
        &ws,
        &last,
        "region",
        None,
        false,
        &out(crate::output::Format::Table),
    )?;
    super::analyse::grade(
        &ws,
        &last,
        None,
        &super::analyse::Output {
            path: Some(
                ws.path(&ws.config.paths.reports)
                    .join(format!("{last} 执法诉求分级分类.xlsx")),
            ),
            ..out(crate::output::Format::Xlsx)
        },
    )?;
    for name in ["warnings", "pilot-effect"] {
        super::analyse::analyse(&ws, name, &last, None, &out(crate::output::Format::Table))?;
    }
    for p in crate::export::push_list(&ws, &last, None)? {
        println!("wrote {}", p.display());
    }
    println!("\n5. Typesetting the reports of the pilot year");
    {
        let conn = crate::export::open_marts(&ws)?;
        let reports = ws.path(&ws.config.paths.reports);
        let pilot = crate::period::Period::resolve(&conn, &ws.config, "pilot")?;
        crate::report::all(&ws, &conn, &pilot, &reports, |p| {
            println!("wrote {}", p.display());
        })?;
        println!("\n6. Sample letters (drafts: a letter that is sent is issued on its case)");
        let picks = crate::analysis::query(
            &conn,
            "sample letters",
            crate::analysis::query_text("sample_letters")?,
            &[&pilot.start.to_string(), &pilot.end.to_string()],
        )?;
        for (kind, ticket) in picks
            .texts("kind")
            .into_iter()
            .zip(picks.texts("ticket_id"))
        {
            let kind = if kind == "opinion" {
                crate::report::LetterKind::Opinion
            } else {
                crate::report::LetterKind::Reminder
            };
            let path =
                crate::report::letter::write_draft(&ws, &conn, kind, &ticket, None, &reports)?;
            println!("wrote {}", path.display());
        }
    }
    println!("\nDone. Workspace: {}", ws.root.display());
    println!(
        "  Load ledger:  rexian --workspace {} ledger",
        ws.root.display()
    );
    println!(
        "  Indicators:   rexian --workspace {} indicators --period pilot --by department",
        ws.root.display()
    );
    println!(
        "  SQL shell:    rexian --workspace {} sql",
        ws.root.display()
    );
    println!(
        "  Classifier:   rexian --workspace {} model train   (then refresh: it decides blank extracts)",
        ws.root.display()
    );
    println!(
        "  Scheduler:    rexian --workspace {} serve   (drop new extracts into {})",
        ws.root.display(),
        ws.path(&ws.config.paths.inbox).display()
    );
    println!("  Warehouse:    {}", ws.warehouse_path().display());
    println!(
        "  Parquet lake: {}",
        ws.lake_path().join("appeals").display()
    );
    Ok(status)
}
