//! Every row is accounted for, loads are idempotent, and the newest state wins in any order.

use std::collections::{HashMap, HashSet};

use rexian::generate::Format;
use rexian::ingest::Outcome;

use super::util::*;

#[test]
fn every_row_is_accounted_for_per_file() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-03",
        200,
        Format::Csv,
        7,
    );
    let outcomes = t.load(&files);
    let mut ids = HashSet::new();
    for (f, o) in files.iter().zip(&outcomes) {
        let s = loaded(o);
        let (_, rows) = read_csv(f);
        assert_eq!(s.rows_read, rows.len() as u64, "{}", f.display());
        assert_eq!(
            s.rows_read,
            s.inserted + s.updated + s.unchanged + s.rejected,
            "{s:?}"
        );
        assert_eq!(s.rejected, 0, "generated data is clean: {s:?}");
        ids.extend(rows.iter().map(|r| r[0].clone()));
    }
    // Carried-over tickets come back with a later state: updates, not new tickets.
    assert!(loaded(&outcomes[1]).updated > 0);
    assert_eq!(t.count("select count(*) from appeals"), ids.len() as i64);
    assert_eq!(
        t.count("select count(distinct ticket_id) from appeals"),
        ids.len() as i64
    );
    assert_eq!(t.count("select count(*) from load_ledger"), 3);
    // The ledger holds the same accounting.
    assert_eq!(
        t.count("select count(*) from load_ledger where rows_read <> rows_inserted + rows_updated + rows_unchanged + rows_rejected"),
        0
    );
}

#[test]
fn loading_the_same_file_again_changes_nothing() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-02",
        150,
        Format::Csv,
        8,
    );
    t.load(&files);
    let before = t.content_hash();
    let again = t.load(&files);
    assert!(again
        .iter()
        .all(|o| matches!(o, Outcome::AlreadyLoaded { .. })));
    assert_eq!(t.count("select count(*) from load_ledger"), 2);
    let forced = t.load_with(&files, true);
    for o in &forced {
        let s = loaded(o);
        assert_eq!((s.inserted, s.updated), (0, 0), "{s:?}");
        assert_eq!(s.unchanged, s.rows_read);
    }
    assert_eq!(t.content_hash(), before);
}

#[test]
fn an_older_extract_loaded_later_never_rolls_a_ticket_back() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), "2024-01", "2024-03", 200, Format::Csv, 9);
    let in_order = TestWs::new();
    in_order.load(&files);
    let shuffled = TestWs::new();
    let out = shuffled.load(&[files[1].clone(), files[0].clone(), files[2].clone()]);
    assert_eq!(in_order.content_hash(), shuffled.content_hash());
    assert!(
        loaded(&out[1]).stale > 0,
        "January's copies of carried tickets are older than February's"
    );

    // A ticket carried from January into February shows February's state.
    let (h, jan) = read_csv(&files[0]);
    let (_, feb) = read_csv(&files[1]);
    let status_col = h
        .iter()
        .position(|c| c == "办理状态" || c == "工单状态")
        .unwrap();
    let feb_by_id: HashMap<_, _> = feb
        .iter()
        .map(|r| (r[0].clone(), r[status_col].clone()))
        .collect();
    let (id, feb_status) = jan
        .iter()
        .find_map(|r| {
            feb_by_id
                .get(&r[0])
                .filter(|s| **s != r[status_col])
                .map(|s| (r[0].clone(), s.clone()))
        })
        .expect("some ticket changed state between months");
    let db = shuffled.db();
    let status: String = db
        .query_row(
            "select status from appeals where ticket_id = ?",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, feb_status.trim());
}

#[test]
fn duplicate_rows_within_a_file_resolve_by_update_time_or_are_rejected() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-01",
        "2024-01",
        50,
        Format::Csv,
        10,
    );
    let (mut h, rows) = read_csv(&files[0]);
    h.push("更新时间".into());
    let status = h
        .iter()
        .position(|c| c == "工单状态" || c == "办理状态")
        .unwrap();
    let mut out: Vec<Vec<String>> = rows[..4]
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push("2024-01-31 10:00:00".into());
            r
        })
        .collect();
    // Row 6: the same ticket as row 2 (first data row), newer, with another status: it wins.
    let mut newer = out[0].clone();
    newer[status] = "已延期".into();
    newer[h.len() - 1] = "2024-01-31 12:00:00".into();
    out.push(newer);
    // Row 7: same ticket as row 3, same update time, different content: both rejected.
    let mut clash = out[1].clone();
    clash[status] = "已退单".into();
    out.push(clash);
    let path = t.dir.path().join("dups_2024-01.csv");
    write_csv(&path, &h, &out);
    let s = loaded(&t.load(&[path])[0]).clone();
    assert_eq!(s.rows_read, 6);
    assert_eq!(s.rejected, 2, "{s:?}");
    assert_eq!(s.superseded, 1);
    assert_eq!(s.inserted, 3);
    let db = t.db();
    let st: String = db
        .query_row(
            "select status from appeals where ticket_id = ?",
            [&out[0][0]],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(st, "已延期");
    let reason: String = db
        .query_row(
            "select min(reason) from load_rejects where row_number = 3",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reason.contains("rows 3, 7"), "{reason}");
    assert!(s.rejects_csv.as_ref().unwrap().exists());
}

#[test]
fn without_a_date_in_its_name_an_extract_stands_for_its_latest_event() {
    let t = TestWs::new();
    let files = generate(
        &t.dir.path().join("x"),
        "2024-02",
        "2024-02",
        120,
        Format::Csv,
        21,
    );
    let plain = t.dir.path().join("export.csv");
    std::fs::copy(&files[0], &plain).unwrap();
    let s = loaded(&t.load(&[plain])[0]).clone();
    assert_eq!(s.as_of_source, "latest time in the file");
    let latest = t.count(
        "select epoch_ms(max(greatest(accepted_at, coalesce(dispatched_at, accepted_at), \
         coalesce(signed_at, accepted_at), coalesce(closed_at, accepted_at), \
         coalesce(callback_at, accepted_at), coalesce(updated_at, accepted_at)))) from appeals",
    );
    assert_eq!(s.as_of.and_utc().timestamp_millis(), latest, "{s:?}");
    // Rows without an update time of their own carry the extract's moment as their state.
    assert!(t.count("select count(*) from appeals where updated_at is null") > 0);
    assert_eq!(
        t.count(&format!(
            "select count(*) from appeals where state_at <> coalesce(updated_at, \
             epoch_ms({}::bigint))",
            latest
        )),
        0
    );
}

/// Files are read one ahead of the load that takes them: refused files in between (their
/// load ids never used: every row rejected, no header) and a copy of an earlier file
/// (recognised without reading) leave the warehouse exactly as loading the good files alone
/// does, each row under its own load.
#[test]
fn reading_ahead_across_refused_files_and_a_repeat_keeps_every_row_in_its_load() {
    let t = TestWs::new();
    let dir = t.dir.path().join("x");
    let good = generate(&dir, "2024-01", "2024-03", 150, Format::Csv, 11);
    let (header, rows) = read_csv(&good[0]);
    let bad = dir.join("bad.csv");
    let broken: Vec<Vec<String>> = rows
        .iter()
        .take(5)
        .map(|r| {
            let mut r = r.clone();
            r[0] = String::new(); // no 工单编号: every row rejected, the file refused
            r
        })
        .collect();
    write_csv(&bad, &header, &broken);
    let copy = dir.join("again.csv");
    std::fs::copy(&good[0], &copy).unwrap();
    let files = [good[0].clone(), bad, good[1].clone(), copy, good[2].clone()];
    let outcomes = t.load(&files);
    assert_eq!(loaded(&outcomes[0]).load_id, 1);
    assert!(
        refused(&outcomes[1]).contains("工单编号"),
        "{}",
        refused(&outcomes[1])
    );
    assert_eq!(loaded(&outcomes[2]).load_id, 2);
    assert!(
        matches!(outcomes[3], Outcome::AlreadyLoaded { load_id: 1, .. }),
        "{:?}",
        outcomes[3]
    );
    assert_eq!(loaded(&outcomes[4]).load_id, 3);
    // Each row lies under the load that wrote it: the same loads hold the same rows as in
    // a workspace that loaded the good files alone (ids 1, 2, 3 there too).
    let alone = TestWs::new();
    alone.load(&good);
    let per_load = |w: &TestWs| -> Vec<(i32, i64, String)> {
        let db = w.db();
        let mut q = db
            .prepare(
                "select load_id, count(*), md5(string_agg(ticket_id || state_hash, ',' order by ticket_id))
                 from appeals group by 1 order by 1",
            )
            .unwrap();
        let rows = q
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        rows
    };
    let (ahead, one_by_one) = (per_load(&t), per_load(&alone));
    assert_eq!(ahead.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(ahead, one_by_one);
    assert_eq!(t.content_hash(), alone.content_hash());
    assert_eq!(
        t.count("select count(*) from appeals"),
        alone.count("select count(*) from appeals")
    );
}
