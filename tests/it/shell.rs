//! `rexian sql`: one-off statements, exports, read-only, a running ingest, saved queries,
//! the data dictionary, and the interactive shell driven through a pseudo-terminal.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use rexian::generate::Format;

use super::util::*;

#[test]
fn one_off_statements_in_every_format_and_errors_with_their_position() {
    let t = sample_ws();
    let appeals = t.count("select count(*) from appeals");
    let out = t.run(&[
        "sql",
        "--format",
        "csv",
        "-c",
        "select count(*) as n from appeals; select 1 + 1 as two;",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("n\n{appeals}\ntwo\n2\n")
    );
    let out = t.run(&["sql", "--format", "json", "-c", "select region_name as r, count(*) as n from appeals where region_name = '兖州区' group by 1"]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc[0]["r"], "兖州区");
    assert_eq!(
        doc[0]["n"].as_i64().unwrap(),
        t.count("select count(*) from appeals where region_name = '兖州区'")
    );
    let out = t.run(&[
        "sql",
        "--format",
        "markdown",
        "-c",
        "select 'a|b' as x, null as y",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "| x | y |\n|---|---|\n| a\\|b | — |\n"
    );
    // The table: Chinese wide characters keep the columns aligned.
    let out = t.run(&[
        "sql",
        "-c",
        "select '兖州区' as 区县, 1 as n union all select 'ab', 22 order by n",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("兖州区") || l.contains("ab "))
        .collect();
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    assert_eq!(width(lines[0]), width(lines[1]), "{text}");
    // A SQL error: exit status 1, DuckDB's message and where.
    let out = t.run(&["sql", "-c", "select regionname from appeals"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("regionname") && err.contains("LINE 1"),
        "{err}"
    );
}

#[test]
fn writes_are_refused_unless_asked_for() {
    let t = sample_ws();
    let before = t.count("select count(*) from appeals");
    let out = t.run(&["sql", "-c", "delete from appeals"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("read-only") && err.contains("--write"),
        "{err}"
    );
    assert_eq!(t.count("select count(*) from appeals"), before);
    let out = t.run(&[
        "sql",
        "--write",
        "-c",
        "insert into supervision_decisions values ('x', '测试', now(), 'test')",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("WRITE ACCESS"));
    assert_eq!(t.count("select count(*) from supervision_decisions"), 1);
}

#[test]
fn exports_in_every_format_read_back() {
    let t = sample_ws();
    let dir = t.dir.path();
    let script = dir.join("export.sql");
    std::fs::write(
        &script,
        format!(
            "select region_name, count(*) as n\nfrom appeals\ngroup by 1 order by 2 desc, 1;\n\
             .export {0}/r.parquet\n.export {0}/r.xlsx\n.export {0}/r.csv\n.export {0}/r.json\n",
            dir.display()
        ),
    )
    .unwrap();
    let out = t.run(&["sql", "-f", script.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected: Vec<(String, i64)> = {
        let db = t.db();
        let mut s = db
            .prepare("select region_name, count(*) from appeals group by 1 order by 2 desc, 1")
            .unwrap();
        let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(Result::unwrap).collect()
    };
    // Parquet, with the parquet crate.
    let file = std::fs::File::open(dir.join("r.parquet")).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut got = Vec::new();
    for b in reader {
        let b = b.unwrap();
        let names = b
            .column(0)
            .as_any()
            .downcast_ref::<arrow::array::StringArray>()
            .unwrap();
        let ns = b
            .column(1)
            .as_any()
            .downcast_ref::<arrow::array::Int64Array>()
            .unwrap();
        for i in 0..b.num_rows() {
            got.push((names.value(i).to_string(), ns.value(i)));
        }
    }
    assert_eq!(got, expected);
    // XLSX, with calamine.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("r.xlsx")).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let first = sheet.rows().nth(1).unwrap();
    assert_eq!(first[0].to_string(), expected[0].0);
    assert!(matches!(first[1], calamine::Data::Float(x) if x as i64 == expected[0].1));
    assert_eq!(sheet.rows().count(), expected.len() + 1);
    // CSV for Excel: a BOM, then the header.
    let csv = std::fs::read_to_string(dir.join("r.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}region_name,n\n"), "{csv}");
    assert_eq!(csv.lines().count(), expected.len() + 1);
    // JSON: an array of objects.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(json[0]["region_name"], expected[0].0.as_str());
    assert_eq!(json.as_array().unwrap().len(), expected.len());

    // `--output` writes what its extension says, the whole result (beyond the 10 000 rows a
    // screen shows), the same bytes as .export; a --format that disagrees is refused.
    let query = "select region_name, count(*) as n from appeals group by 1 order by 2 desc, 1";
    for ext in ["parquet", "xlsx", "csv", "json"] {
        let file = dir.join(format!("o.{ext}"));
        ok(&t.run(&["sql", "-c", query, "--output", file.to_str().unwrap()]));
        let (a, b) = (
            std::fs::read(&file).unwrap(),
            std::fs::read(dir.join(format!("r.{ext}"))).unwrap(),
        );
        if ext == "xlsx" {
            // A workbook records its own creation time: compare what it holds.
            let mut book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
            let rows = book.worksheet_range_at(0).unwrap().unwrap().rows().count();
            assert_eq!(rows, expected.len() + 1);
        } else {
            assert_eq!(a, b, "--output o.{ext} differs from .export r.{ext}");
        }
    }
    let many = dir.join("many.csv");
    let out = t.run(&[
        "sql",
        "-c",
        "select 1 as one; select range as i, range % 2 = 0 as even from range(12000)",
        "--output",
        many.to_str().unwrap(),
    ]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote 12000 rows"));
    let text = std::fs::read_to_string(&many).unwrap();
    assert_eq!(text.lines().count(), 12001);
    assert!(
        text.starts_with("\u{feff}i,even\n0,是\n1,否\n"),
        "{}",
        &text[..40]
    );
    for (args, says) in [
        (vec!["--format", "json"], "does not match"),
        (vec![], "cannot tell what to write"),
    ] {
        let target = if args.is_empty() { "x.dat" } else { "x.csv" };
        let target = dir.join(target);
        let mut all = vec![
            "sql",
            "-c",
            "select 1",
            "--output",
            target.to_str().unwrap(),
        ];
        all.extend(args);
        let out = t.run(&all);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!target.exists());
    }
    // Markdown into a .md file; a time with a zone shown in UTC, marked as such.
    let md = dir.join("t.md");
    ok(&t.run(&[
        "sql",
        "-c",
        "select timestamptz '2024-03-05 08:05:00+00' as t, true as b",
        "--output",
        md.to_str().unwrap(),
    ]));
    assert_eq!(
        std::fs::read_to_string(&md).unwrap(),
        "| t | b |\n|---|---|\n| 2024-03-05 08:05:00+00 | 是 |\n"
    );
}

#[test]
fn saved_queries_take_named_parameters() {
    let t = sample_ws();
    let out = t.run(&["sql", "--list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for q in [
        "top-departments",
        "returns-by-category",
        "satisfaction-trend",
    ] {
        assert!(text.contains(q), "{text}");
    }
    let out = t.run(&[
        "sql",
        "--query",
        "top-departments",
        "--param",
        "period=2024-02",
        "--format",
        "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("承办单位,区县,诉求量,投诉举报,回访满意率\n"),
        "{text}"
    );
    // A workspace query, with a quote in its parameter (bound as a literal, not pasted).
    std::fs::create_dir_all(t.root().join("queries")).unwrap();
    std::fs::write(
        t.root().join("queries/echo.sql"),
        "-- 回显参数\n-- params: word\nselect {{word}} as w\n",
    )
    .unwrap();
    let out = t.run(&[
        "sql",
        "--query",
        "echo",
        "--param",
        "word=it's; drop table appeals",
        "--format",
        "csv",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "w\nit's; drop table appeals\n"
    );
    let out = t.run(&["sql", "--query", "top-departments"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--param period="));
    let out = t.run(&["sql", "--query", "nope"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("top-departments"));
}

#[test]
fn a_query_during_a_running_ingest_succeeds() {
    let t = sample_ws();
    let files = generate(
        &t.dir.path().join("more"),
        "2024-04",
        "2024-06",
        20_000,
        Format::Csv,
        9,
    );
    let mut ingest = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .args(["ingest", "-q"])
        .args(&files)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Give the ingest time to open the warehouse for writing.
    std::thread::sleep(Duration::from_millis(700));
    let out = t.run(&[
        "sql",
        "--wait",
        "1",
        "--format",
        "csv",
        "-c",
        "select count(*) > 0 as ok from appeals",
    ]);
    let still_running = ingest.try_wait().unwrap().is_none();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n是\n");
    if still_running {
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("lake"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(ingest.wait().unwrap().success());
}

#[test]
fn the_data_dictionary_covers_everything_and_docs_schema_md_is_current() {
    let t = sample_ws();
    let db = t.db();
    let missing: Vec<String> = {
        let mut s = db
            .prepare(
                "select table_name || '.' || column_name from duckdb_columns() \
                 where database_name = current_database() and coalesce(comment, '') = '' \
                 union all select table_name from duckdb_tables() \
                 where database_name = current_database() and coalesce(comment, '') = '' \
                 union all select view_name from duckdb_views() where not internal \
                 and database_name = current_database() and coalesce(comment, '') = ''",
            )
            .unwrap();
        let rows = s.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    assert!(
        missing.is_empty(),
        "without a comment: {missing:?} (add them to data/dictionary.csv)"
    );
    let generated = rexian::dictionary::markdown(&db).unwrap();
    let committed =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema.md"))
            .unwrap();
    assert!(
        generated == committed,
        "docs/schema.md is stale: run `rexian -w <a refreshed workspace> dictionary --out docs/schema.md`"
    );
}

#[test]
fn the_interactive_shell_completes_continues_exports_and_cancels() {
    use expectrl::{Eof, Expect, Regex, Session};
    let t = sample_ws();
    let mut cmd = Command::new(bin());
    cmd.arg("-w")
        .arg(t.root())
        .arg("sql")
        .env("PAGER", "cat")
        .env("TERM", "xterm");
    let mut p = Session::spawn(cmd).unwrap();
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    p.expect("read-only").unwrap();
    p.expect("rexian> ").unwrap();
    // Completion of a table name.
    p.send("select count(*) as n from fct_enforcement_app")
        .unwrap();
    p.send("\t").unwrap();
    p.send(";\r").unwrap();
    let n = t.count("select count(*) from fct_enforcement_appeals");
    p.expect(Regex(&format!(r"\b{n}\b"))).unwrap();
    p.expect("1 row").unwrap();
    // A statement over two lines.
    p.send("select 40 +\r").unwrap();
    p.send("2 as answer;\r").unwrap();
    p.expect(Regex(r"\b42\b")).unwrap();
    // At the prompt the shell lets go of the warehouse: a writer (the daemon's load) gets in
    // at once, and the next statement attaches it again.
    p.expect("rexian> ").unwrap();
    {
        let rw = rexian::warehouse::open(
            &t.ws.warehouse_path(),
            rexian::warehouse::Access::ReadWrite,
            Duration::from_secs(3),
        )
        .expect("an idle shell must not keep a writer out");
        rw.execute_batch("create table if not exists shell_idle_probe as select 1 as x")
            .unwrap();
    }
    p.send("select count(*) * 42 as answer from shell_idle_probe;\r")
        .unwrap();
    p.expect(Regex(r"\b42\b")).unwrap();
    // .export of the last result.
    let file = t.dir.path().join("answer.csv");
    p.send(format!(".export {}\r", file.display())).unwrap();
    p.expect("wrote 1 rows").unwrap();
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "\u{feff}answer\n42\n"
    );
    // Ctrl-C cancels a long query, and the shell goes on.
    p.send("select count(*) from range(100000000000) a;\r")
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    p.send("\x03").unwrap();
    p.expect("cancelled").unwrap();
    p.send("select 7 * 6 as again;\r").unwrap();
    p.expect(Regex(r"\b42\b")).unwrap();
    p.send(".quit\r").unwrap();
    p.expect(Eof).unwrap();
    // The history is kept in the workspace.
    let history = std::fs::read_to_string(t.root().join(".rexian_sql_history")).unwrap();
    assert!(history.contains("select 7 * 6 as again;"), "{history}");
}

#[test]
fn dot_commands_in_a_script() {
    let t = sample_ws();
    let dir = t.dir.path();
    std::fs::write(dir.join("inner.sql"), "select 'from .read' as src;\n").unwrap();
    let script = dir.join("dots.sql");
    std::fs::write(
        &script,
        format!(
            ".tables\n.schema dim_region\n.describe mart_scores\n.timer off\n.format csv\n\
             select (select count(*) from appeals) = (select count(*) from lake.appeals) as same;\n\
             .format markdown\nselect 1 as one;\n.read {}\n.quit\nselect 'after quit';\n",
            dir.join("inner.sql").display()
        ),
    )
    .unwrap();
    let out = t.run(&["sql", "-f", script.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // .tables lists warehouse tables and the lake view with their descriptions.
    assert!(
        stdout.contains("fct_enforcement_appeals") && stdout.contains("涉及行政执法的工单"),
        "{stdout}"
    );
    assert!(
        stdout.contains("lake") && stdout.contains("数据湖中的工单"),
        "{stdout}"
    );
    // .schema and .describe show the column comments.
    assert!(
        stdout.contains("is_pilot") && stdout.contains("是否试点单位"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rank_score") && stdout.contains("威尔逊"),
        "{stdout}"
    );
    // .format csv, the lake has the same appeals as the warehouse after a load.
    assert!(stdout.contains("same\n是\n"), "{stdout}");
    assert!(stdout.contains("| one |\n|---|\n| 1 |\n"), "{stdout}");
    assert!(stdout.contains("from .read"), "{stdout}");
    assert!(!stdout.contains("after quit"), "{stdout}");
    // .timer off: no times after the statements.
    assert!(!stderr.contains(" in 0."), "{stderr}");
    // An unknown dot command is an error that points to .help.
    let out = t.run(&["sql", "-c", ".tabels"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".help"));
}
