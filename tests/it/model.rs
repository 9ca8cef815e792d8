//! The learned classifier of scope and field through the binary: too few rows refused,
//! training deterministic, the refresh deciding by it only where the extract is blank and it
//! is confident (and stamping its version), the review list, new loads scored alone, and a
//! model that cannot be used falling back to the rules with a clear word.

use std::path::Path;

use super::util::{generate, ok, run_in, TestWs};
use rexian::generate::Format;

/// A workspace with four generated months loaded and refreshed, [model] min_rows as given.
fn workspace(min_rows: usize) -> (TestWs, Vec<std::path::PathBuf>) {
    let t = TestWs::new();
    let toml = t.root().join("rexian.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("min_rows = 1000", &format!("min_rows = {min_rows}"));
    std::fs::write(&toml, text).unwrap();
    let files = generate(
        &t.dir.path().join("extracts"),
        "2024-01",
        "2024-05",
        600,
        Format::Csv,
        7,
    );
    t.load(&files[..4]);
    ok(&t.run(&["refresh"]));
    (t, files)
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn too_few_labelled_rows_are_refused_and_the_rules_keep_deciding() {
    let (t, _) = workspace(1_000_000);
    let out = t.run(&["model", "train"]);
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(
        e.contains("too few labelled rows to train") && e.contains("min_rows asks for 1000000"),
        "{e}"
    );
    assert!(!t.root().join("models/scope_field.model").exists());
    let s = ok(&t.run(&["model", "status"]));
    assert!(s.contains("no model"), "{s}");
    assert_eq!(
        t.count("select count(*) from fct_enforcement_appeals where enforcement_source = 'model'"),
        0
    );
}

#[test]
fn the_model_decides_blank_extracts_where_confident_and_only_there() {
    let (t, files) = workspace(200);
    let given_before =
        t.count("select count(*) from fct_enforcement_appeals where enforcement_source = 'given'");
    let rules_before: String = t
        .db()
        .query_row(
            "select value from cfg_param where key = 'rules_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();

    let out = ok(&t.run(&["model", "train"]));
    assert!(
        out.contains("measured on") && out.contains("2024-04"),
        "{out}"
    );
    // Training scored the blank-extract appeals already: the refresh has none left to score.
    let scored = t.count("select count(*) from model_scores");
    assert!(
        out.contains(&format!("and scored the {scored} appeal(s)")),
        "{out}"
    );
    let path = t.root().join("models/scope_field.model");
    let first = std::fs::read(&path).unwrap();
    // Same rows, same bytes.
    ok(&t.run(&["model", "train"]));
    assert_eq!(std::fs::read(&path).unwrap(), first);
    let status = ok(&t.run(&["model", "status"]));
    assert!(status.contains("The figures do not use it yet"), "{status}");

    let refreshed = ok(&t.run(&["refresh"]));
    assert!(
        refreshed.contains("it scored 0 appeal(s) now"),
        "{refreshed}"
    );
    let db = t.db();
    let version: String = db
        .query_row(
            "select value from cfg_param where key = 'model_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version.len(), 12);
    let rules_now: String = db
        .query_row(
            "select value from cfg_param where key = 'rules_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rules_now, format!("{rules_before}+m{version}"));
    // Every blank-extract appeal was scored, and nothing else.
    let blank = t.count(
        "select count(*) from appeals where is_enforcement is null and enforcement_field is null",
    );
    assert!(blank > 100, "{blank}");
    assert_eq!(t.count("select count(*) from model_scores"), blank);
    // The model decided exactly the confident, enforcement-related blank ones…
    let confident =
        t.count("select count(*) from model_scores where score >= 0.9 and is_enforcement");
    let decided =
        t.count("select count(*) from fct_enforcement_appeals where enforcement_source = 'model'");
    assert!(decided > 0, "the model decided nothing");
    assert_eq!(decided, confident);
    assert_eq!(
        t.count(
            "select count(*) from fct_enforcement_appeals f join model_scores s using (ticket_id) \
             where f.enforcement_source = 'model' and (f.model_score <> s.score or f.field_name <> s.field_name)"
        ),
        0
    );
    // …and never an appeal whose extract says what it is.
    assert_eq!(
        t.count("select count(*) from fct_enforcement_appeals where enforcement_source = 'given'"),
        given_before
    );
    // The confident "not enforcement-related" ones left the table, the unsure ones are the
    // rules' and on the review list.
    assert_eq!(
        t.count(
            "select count(*) from fct_enforcement_appeals f join model_scores s using (ticket_id) \
             where s.score >= 0.9 and not s.is_enforcement"
        ),
        0
    );
    let unsure = t.count("select count(*) from model_scores where score < 0.9");
    drop(db);
    let review = ok(&t.run(&["model", "review", "--period", "2024", "--format", "csv"]));
    assert_eq!(review.lines().count() as i64 - 1, unsure, "{review}");
    if unsure > 0 {
        assert!(
            review.contains("模型置信度") && review.contains("规则判定"),
            "{review}"
        );
    }
    let status = ok(&t.run(&["model", "status"]));
    assert!(
        status.contains(&format!(
            "it decided {decided} enforcement-related appeal(s)"
        )) && status.contains("no other"),
        "{status}"
    );
    // The month's report says how many of its appeals the model decided, and how well it did.
    let march = t.count(
        "select count(*) from fct_enforcement_appeals where enforcement_source = 'model' \
         and accepted_at >= date '2024-03-01' and accepted_at < date '2024-04-01'",
    );
    let pdf = ok(&t.run(&["report", "monthly", "2024-03"]));
    let text = super::report::pdftotext(Path::new(pdf.trim())).replace(['\n', ' '], "");
    assert!(
        text.contains(&format!("{march}件的工单未填")) && text.contains(&format!("版本{version}")),
        "{text}"
    );

    // A new month: only its blank appeals are scored, and the model is now behind the data.
    t.load(&files[4..]);
    let new_blank = t.count(
        "select count(*) from appeals where is_enforcement is null and enforcement_field is null \
         and load_id = (select max(load_id) from load_ledger)",
    );
    let refreshed = ok(&t.run(&["refresh"]));
    assert!(
        refreshed.contains(&format!("it scored {new_blank} appeal(s) now")),
        "{refreshed}"
    );
    let status = ok(&t.run(&["model", "status"]));
    assert!(status.contains("loaded since it was trained"), "{status}");
    ok(&t.run(&["check"]));

    // model evaluate measures it against the rules on the months it did not see.
    let e = ok(&t.run(&["model", "evaluate"]));
    assert!(
        e.contains("模型+规则 both") && e.contains("the months kept out of the model's training"),
        "{e}"
    );
}

#[test]
fn a_model_that_cannot_be_used_falls_back_to_the_rules_and_says_why() {
    let (t, _) = workspace(200);
    ok(&t.run(&["model", "train"]));
    ok(&t.run(&["refresh"]));
    let path = t.root().join("models/scope_field.model");
    let good = std::fs::read(&path).unwrap();

    // Damaged: one byte of a weight changed.
    let mut bad = good.clone();
    let i = bad.len() - 100;
    bad[i] ^= 0x40;
    std::fs::write(&path, &bad).unwrap();
    let out = run_in(t.root(), &["refresh"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        said.contains("was not used") && said.contains("checksum does not match"),
        "{said}"
    );
    assert_eq!(
        t.count("select count(*) from fct_enforcement_appeals where enforcement_source = 'model'"),
        0
    );
    let rules: String = t
        .db()
        .query_row(
            "select value from cfg_param where key = 'rules_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!rules.contains("+m"), "{rules}");
    let e = stderr(&t.run(&["model", "status"]));
    assert!(
        e.contains("scope_field.model is damaged") && e.contains("rexian model train"),
        "{e}"
    );

    // Whole, but of another version of rexian's features.
    let magic = b"REXIAN-MODEL/1\n".len();
    let len = u32::from_le_bytes(good[magic..magic + 4].try_into().unwrap()) as usize;
    let mut header: serde_json::Value =
        serde_json::from_slice(&good[magic + 4..magic + 4 + len]).unwrap();
    header["features_version"] = 99.into();
    let header = serde_json::to_vec(&header).unwrap();
    let mut other = good[..magic].to_vec();
    other.extend_from_slice(&u32::try_from(header.len()).unwrap().to_le_bytes());
    other.extend_from_slice(&header);
    other.extend_from_slice(&good[magic + 4 + len..good.len() - 32]);
    let digest = <sha2::Sha256 as sha2::Digest>::digest(&other);
    other.extend_from_slice(&digest);
    std::fs::write(&path, &other).unwrap();
    let e = stderr(&t.run(&["model", "status"]));
    assert!(
        e.contains("on features of version 99, and this rexian reads version 1"),
        "{e}"
    );
    let out = ok(&t.run(&["refresh"]));
    assert!(out.contains("was not used"), "{out}");

    // Not a model at all.
    std::fs::write(&path, "hello").unwrap();
    let e = stderr(&t.run(&["model", "status"]));
    assert!(e.contains("is not a rexian model file"), "{e}");

    // A field the reference data no longer has.
    std::fs::write(&path, &good).unwrap();
    let reference = t.root().join("reference");
    std::fs::create_dir_all(&reference).unwrap();
    // The built-in file without the lines that name the field transport.
    let without_transport = |file: &str, names: &str| {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/reference")
                .join(file),
        )
        .unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.contains(names)).collect();
        std::fs::write(reference.join(file), kept.join("\n") + "\n").unwrap();
    };
    without_transport("fields.csv", "transport,交通运输");
    without_transport("departments.csv", ",transport,");
    let toml = t.root().join("rexian.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace("reference = \"\"", "reference = \"reference\"");
    std::fs::write(&toml, text).unwrap();
    let e = stderr(&t.run(&["model", "status"]));
    assert!(
        e.contains("knows the field 交通运输 (transport)") && e.contains("no longer has"),
        "{e}"
    );
}
