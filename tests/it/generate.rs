//! The generator: same seed same bytes, carried-over tickets, planted patterns.

use std::collections::HashMap;

use rexian::generate::Format;

use super::util::*;

#[test]
fn same_seed_same_bytes_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for format in [Format::Csv, Format::CsvGbk, Format::Xlsx] {
        let a = generate(
            &dir.path().join(format!("{format:?}a")),
            "2024-01",
            "2024-02",
            80,
            format,
            5,
        );
        let b = generate(
            &dir.path().join(format!("{format:?}b")),
            "2024-01",
            "2024-02",
            80,
            format,
            5,
        );
        let c = generate(
            &dir.path().join(format!("{format:?}c")),
            "2024-01",
            "2024-02",
            80,
            format,
            6,
        );
        for i in 0..2 {
            assert_eq!(
                std::fs::read(&a[i]).unwrap(),
                std::fs::read(&b[i]).unwrap(),
                "{format:?} not reproducible"
            );
            assert_ne!(
                std::fs::read(&a[i]).unwrap(),
                std::fs::read(&c[i]).unwrap(),
                "{format:?} ignores the seed"
            );
        }
    }
}

#[test]
fn ticket_ids_are_unique_in_every_file() {
    // Regression: planted slots once shared codes (a widespread and a major appeal).
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), "2023-11", "2024-06", 200, Format::Csv, 14);
    for f in &files {
        let (_, rows) = read_csv(f);
        let ids: std::collections::HashSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids.len(), rows.len(), "{}", f.display());
    }
}

#[test]
fn open_tickets_reappear_next_month_with_their_later_state() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), "2024-01", "2024-02", 300, Format::Csv, 5);
    let (h, jan) = read_csv(&files[0]);
    let (_, feb) = read_csv(&files[1]);
    let closed = h.iter().position(|c| c == "办结时间").unwrap();
    let feb: HashMap<&str, &Vec<String>> = feb.iter().map(|r| (r[0].as_str(), r)).collect();
    let open_in_jan: Vec<&Vec<String>> = jan.iter().filter(|r| r[closed].is_empty()).collect();
    assert!(!open_in_jan.is_empty());
    for r in &open_in_jan {
        assert!(
            feb.contains_key(r[0].as_str()),
            "{} was open at the end of January but is missing in February",
            r[0]
        );
    }
    assert!(
        open_in_jan
            .iter()
            .any(|r| !feb[r[0].as_str()][closed].is_empty()),
        "some of them closed in February"
    );
}

#[test]
fn planted_patterns_are_listed_and_pilot_units_improve() {
    let dir = tempfile::tempdir().unwrap();
    let opts = rexian::generate::Options {
        out: dir.path().to_path_buf(),
        from: "2023-05".parse().unwrap(),
        to: "2024-04".parse().unwrap(),
        seed: 3,
        per_month: 400,
        format: Format::Csv,
        pilot_start: "2023-11".parse().unwrap(),
    };
    let m = rexian::generate::generate(
        &opts,
        &rexian::reference::Reference::built_in().unwrap(),
        |_| {},
    )
    .unwrap();
    let p = &m.planted;
    assert_eq!(p.repeat_address.ticket_ids.len(), 12);
    assert!(p.bounce.ticket_ids.len() >= 36);
    assert_eq!(
        p.spike.months,
        vec!["2024-01".parse().unwrap()],
        "2024-06 is out of range: two thirds in"
    );
    assert_eq!(p.widespread.months, vec!["2024-03".parse().unwrap()]);
    assert_eq!(p.widespread.regions.len(), 4);
    assert!(p.major.ticket_ids.len() >= 3);

    // Satisfaction of pilot units: better during the pilot than before.
    let pilot = [
        "兖州区",
        "泗水县",
        "邹城市",
        "微山县",
        "鱼台县",
        "梁山县",
        "370812",
        "370831",
        "370883",
        "370826",
        "370827",
        "370832",
        "兖州",
        "泗水",
        "邹城",
        "微山",
        "鱼台",
        "梁山",
    ];
    let mut share = [(0, 0); 2];
    for f in &m.files {
        let (h, rows) = read_csv(&dir.path().join(&f.name));
        let region = h
            .iter()
            .position(|c| c == "所属区县" || c == "区县")
            .unwrap();
        let sat = h.iter().position(|c| c == "回访满意度").unwrap();
        let during = usize::from(f.month >= opts.pilot_start);
        for r in rows.iter().filter(|r| pilot.contains(&r[region].trim())) {
            if r[sat].contains("满意") {
                share[during].1 += 1;
                if r[sat] == "满意" || r[sat] == "非常满意" {
                    share[during].0 += 1;
                }
            }
        }
    }
    let rate = |(a, b): (i32, i32)| a as f64 / b as f64;
    assert!(rate(share[1]) > rate(share[0]) + 0.05, "{share:?}");
}
