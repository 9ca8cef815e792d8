//! Every pattern the generator plants (manifest.json) is found by the analysis meant to
//! find it, on 24 generated months.

use std::process::Command;

use rexian::analysis;
use rexian::generate::Format;
use rexian::period::Period;

use super::util::*;

fn ids(manifest: &serde_json::Value, pattern: &str) -> Vec<String> {
    manifest["planted"][pattern]["ticket_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_analyses_find_every_planted_pattern() {
    let t = TestWs::new();
    let dir = t.dir.path().join("extracts");
    let files = generate(&dir, "2022-11", "2024-10", 150, Format::Csv, 2024);
    t.load(&files);
    let out = Command::new(bin())
        .arg("-w")
        .arg(t.root())
        .arg("refresh")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let conn = t.db();
    let config = rexian::config::Config::default();
    let period = |p: &str| Period::resolve(&conn, &config, p).unwrap();

    // 预警 finds the spike of 餐饮油烟 in 邹城市 in June 2024, and the hot list leads with it.
    let june = period("2024-06");
    let w = &analysis::run(&conn, &config, "warnings", &june, "").unwrap()[0];
    let found: Vec<(String, String)> = w
        .texts("category")
        .into_iter()
        .zip(w.texts("region_name"))
        .collect();
    assert!(
        found.contains(&("城乡建设/市容环境/餐饮油烟".into(), "邹城市".into())),
        "{found:?}"
    );
    let hot = analysis::run(&conn, &config, "hot", &june, "").unwrap();
    assert_eq!(hot[0].texts("category")[0], "城乡建设/市容环境/餐饮油烟");
    assert!(
        hot[1].texts("keyword")[..5]
            .iter()
            .any(|k| k.contains("油烟")),
        "{:?}",
        hot[1].texts("keyword")
    );

    // 分级: the problem spread over 4 regions in March 2024 is 普遍性执法问题 (unless a
    // stronger rule fired), and every major-incident text is 重大.
    let march = analysis::grade(&conn, &period("2024-03"), "").unwrap();
    let graded: std::collections::HashMap<String, String> = march
        .texts("ticket_id")
        .into_iter()
        .zip(march.texts("grade"))
        .collect();
    let planted = ids(&manifest, "widespread");
    for id in &planted {
        let g = graded.get(id).unwrap_or_else(|| panic!("{id} not graded"));
        assert!(
            g == "普遍性执法问题" || g == "需协调争议解决" || g == "重大",
            "{id}: {g}"
        );
    }
    let widespread = planted
        .iter()
        .filter(|id| graded[*id] == "普遍性执法问题")
        .count();
    assert!(
        widespread * 4 >= planted.len() * 3,
        "{widespread} of {}",
        planted.len()
    );
    for id in ids(&manifest, "major") {
        let month = format!("{}-{}", &id[2..6], &id[6..8]);
        let f = analysis::grade(&conn, &period(&month), "").unwrap();
        let i = f.texts("ticket_id").iter().position(|x| *x == id).unwrap();
        assert_eq!(f.texts("grade")[i], "重大", "{id}");
    }

    // 会商研判: the category bounced between two 任城区 departments, led by the one that closes.
    let d = &analysis::run(&conn, &config, "disputes", &period("2024-05"), "").unwrap()[0];
    let i = d
        .texts("category")
        .iter()
        .zip(d.texts("region_name"))
        .position(|(c, r)| c == "城乡建设/违法建设/小区内私搭乱建" && r == "任城区")
        .unwrap();
    assert_eq!(i, 0, "the bounced category leads the list");
    let returned_by = &d.texts("returned_by")[i];
    assert!(
        returned_by.contains("任城区综合行政执法局")
            && returned_by.contains("任城区住房和城乡建设局"),
        "{returned_by}"
    );
    assert_eq!(d.texts("lead_candidate")[i], "任城区综合行政执法局");

    // 重点督办: the address re-appealed after each closing is 屡次不改, month after month.
    let repeat = ids(&manifest, "repeat_address");
    let s = &analysis::run(&conn, &config, "supervision", &period("2024-05"), "").unwrap()[0];
    let listed = s.texts("ticket_id");
    assert!(
        repeat.iter().any(|id| listed.contains(id)),
        "{listed:?} lacks every one of {repeat:?}"
    );
    let recurring =
        t.count(&format!(
        "select count(*) from fct_enforcement_appeals where is_recurrence and ticket_id in ({})",
        repeat.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",")
    ));
    assert!(
        recurring >= repeat.len() as i64 - 2,
        "{recurring} of {}",
        repeat.len()
    );

    // 试点成效: pilot units' satisfaction rose more than the others' (the planted effect).
    let p = &analysis::run(&conn, &config, "pilot-effect", &period("pilot"), "").unwrap()[0];
    let row = p
        .texts("indicator_name")
        .iter()
        .position(|x| x == "回访满意率")
        .unwrap();
    let did: f64 = p.texts("did")[row].parse().unwrap();
    assert!(did > 0.03, "difference in differences {did}");
}
