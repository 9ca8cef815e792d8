//! Schema versions: a warehouse made before them (built here: migration 1's tables, holding
//! a load, and no record of versions) is migrated when a newer rexian opens it for writing, a
//! copy is kept, and nothing is lost; a warehouse newer than the binary is refused.

use std::path::Path;

use super::util::*;

/// A workspace whose warehouse is as rexian made it before schema versions existed: the
/// sample's 2024-01 loaded, then everything later migrations added taken away again, so that
/// what is left is exactly the tables of `001_initial.sql`.
fn workspace_of_version_1() -> TestWs {
    let t = TestWs::new();
    let jan =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/csv/12345热线工单_2024-01.csv");
    t.load(&[jan]);
    let db = duckdb::Connection::open(t.ws.warehouse_path()).unwrap();
    db.execute_batch(
        "drop table schema_migrations;
         alter table load_ledger drop column schema_version;
         checkpoint;",
    )
    .unwrap();
    assert_eq!(rexian::migrate::version(&db).unwrap(), 1);
    t
}

/// Every appeal (all columns) and ledger row of a warehouse, as text in a fixed order.
fn rows(conn: &duckdb::Connection, sql: &str) -> Vec<String> {
    // Read as text so that any column type compares.
    let mut stmt = conn.prepare(sql).unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(Result::unwrap).collect()
}

const APPEALS: &str = "select a::varchar from appeals as a order by ticket_id";
const LEDGER: &str = "select (load_id, file_name, file_sha256, file_bytes, as_of, rows_read, \
                      rows_inserted, rows_updated, rows_unchanged, rows_rejected, months)::varchar \
                      from load_ledger order by load_id";

#[test]
fn an_older_warehouse_is_migrated_with_a_copy_and_keeps_every_row() {
    let t = workspace_of_version_1();
    let (appeals_v1, ledger_v1, tickets_v1) = {
        let db = t.db();
        (
            rows(&db, APPEALS),
            rows(&db, LEDGER),
            rows(&db, "select ticket_id from appeals order by ticket_id"),
        )
    };
    assert_eq!(ledger_v1.len(), 1);
    assert!(appeals_v1.len() > 200);

    // A read-only command works on the old schema and changes nothing.
    ok(&t.run(&["ledger"]));
    assert!(!t
        .root()
        .join("warehouse/rexian.duckdb.schema-v1.bak")
        .exists());

    // Loading the next month migrates first.
    let feb =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/csv/12345热线工单_2024-02.csv");
    ok(&t.run(&["ingest", feb.to_str().unwrap()]));
    let db = t.db();
    let versions = rows(
        &db,
        "select version || ' ' || name from schema_migrations order by version",
    );
    assert_eq!(
        versions,
        [
            "1 001_initial.sql",
            "2 002_load_ledger_schema_version.sql",
            "3 003_model_builds_sql_sha256.sql",
            "4 004_casework.sql",
            "5 005_exchange.sql",
            "6 006_case_register.sql",
            "7 007_model_scores.sql"
        ]
    );
    // Every earlier ledger entry is there as it was, and the new load says its version.
    let ledger = rows(&db, LEDGER);
    assert_eq!(ledger[0], ledger_v1[0]);
    assert_eq!(ledger.len(), 2);
    assert_eq!(
        rows(
            &db,
            "select coalesce(schema_version::varchar, 'null') from load_ledger order by load_id"
        ),
        ["null", "7"]
    );
    // Every earlier appeal is there: unchanged, or replaced by a newer state of the same ticket.
    let after = rows(
        &db,
        "select a::varchar from appeals as a where load_id = 1 order by ticket_id",
    );
    assert!(after.iter().all(|r| appeals_v1.contains(r)));
    let tickets_now = rows(&db, "select ticket_id from appeals order by ticket_id");
    for id in &tickets_v1 {
        assert!(tickets_now.contains(id), "{id} was lost");
    }
    let inserted: i64 = db
        .query_row(
            "select rows_inserted from load_ledger where load_id = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tickets_now.len(), tickets_v1.len() + inserted as usize);
    drop(db);
    // The copy taken before is the old warehouse, whole.
    let copy = t.root().join("warehouse/rexian.duckdb.schema-v1.bak");
    let old = duckdb::Connection::open_with_flags(
        &copy,
        duckdb::Config::default()
            .access_mode(duckdb::AccessMode::ReadOnly)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(rows(&old, APPEALS), appeals_v1);
    assert_eq!(rows(&old, LEDGER), ledger_v1);
    drop(old);
    // Everything else still holds.
    ok(&t.run(&["refresh"]));
    ok(&t.run(&["check"]));
    // Opening again migrates nothing and copies nothing.
    ok(&t.run(&["ingest", feb.to_str().unwrap()]));
    let baks = std::fs::read_dir(t.root().join("warehouse"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".bak")
        })
        .count();
    assert_eq!(baks, 1);
}

#[test]
fn a_warehouse_newer_than_the_binary_is_refused_naming_both_versions() {
    let t = sample_ws();
    {
        let db = t.db_rw();
        db.execute_batch(
            "insert into schema_migrations values (99, '099_from_the_future.sql', now(), '9.9.9')",
        )
        .unwrap();
    }
    // Read behind rexian's back: rexian itself refuses to open it.
    let read = || {
        let db = duckdb::Connection::open_with_flags(
            t.ws.warehouse_path(),
            duckdb::Config::default()
                .access_mode(duckdb::AccessMode::ReadOnly)
                .unwrap(),
        )
        .unwrap();
        rows(&db, APPEALS)
    };
    let before = read();
    for args in [&["refresh"][..], &["indicators", "--period", "2024-02"]] {
        let out = t.run(args);
        assert!(!out.status.success(), "{args:?} ran on a newer warehouse");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("schema version 99") && err.contains("knows versions up to 7"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(read(), before);
}
