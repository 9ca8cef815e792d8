//! `rexian report monthly`: a PDF whose numbers are those of `rexian indicators`, set in an
//! embedded CJK font, with citizen text printed literally, the same bytes every time.

use std::process::Command;

use super::util::*;

pub(super) fn pdftotext(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_monthly_report_prints_the_indicators_figures() {
    let t = sample_ws();
    // A title written as Typst markup must come out as plain text.
    {
        let db = t.db_rw();
        db.execute_batch(
            "update appeals set category = '#read(\"/etc/passwd\") $x$ *粗* [括] \\ 注入'
             where ticket_id in (select ticket_id from fct_enforcement_appeals
                                 where strftime(accepted_at, '%Y-%m') = '2024-02' limit 40)",
        )
        .unwrap();
    }
    assert!(t.run(&["refresh"]).status.success());
    let out_a = t.dir.path().join("a");
    let run = t.run(&[
        "report",
        "monthly",
        "2024-02",
        "--out",
        out_a.to_str().unwrap(),
    ]);
    ok(&run);
    let pdf = out_a.join("2024年02月 行政执法监督12345热线数据分析月报.pdf");
    let text = pdftotext(&pdf);
    for heading in [
        "一、总体情况",
        "（一）按诉求类型和来源渠道",
        "二、各区县情况",
        "三、各执法领域情况",
        "四、执法部门效能评价",
        "五、分级分类",
        "六、热点问题",
        "七、会商研判事项",
        "八、预警",
        "九、重点督办事项",
        "附录",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    // By type and channel: the counts of the warehouse.
    let complaints = t.count(
        "select count(*) from fct_enforcement_appeals where appeal_type = '投诉' \
         and strftime(accepted_at, '%Y-%m') = '2024-02'",
    );
    let row = text
        .lines()
        .find(|l| l.contains("诉求类型") && l.contains("投诉"))
        .unwrap_or_else(|| panic!("no 投诉 row:\n{text}"));
    assert!(
        row.split_whitespace().any(|w| w == complaints.to_string()),
        "{row} should show {complaints}"
    );
    // The same figures as `rexian indicators --by region` for several regions.
    let json = t.run(&[
        "indicators",
        "--period",
        "2024-02",
        "--by",
        "region",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut checked = 0;
    for row in doc["rows"].as_array().unwrap().iter().take(4) {
        let region = row["单位"].as_str().unwrap();
        let volume = row["诉求量"].as_i64().unwrap();
        let line = text
            .lines()
            // 排名 (a number or —), then the unit.
            .find(|l| l.split_whitespace().nth(1) == Some(region))
            .unwrap_or_else(|| panic!("{region} not in the report"));
        assert!(line.contains(&volume.to_string()), "{line}");
        if let Some(r) = row["按期办结率"].as_f64() {
            assert!(line.contains(&format!("{:.2}%", r * 100.0)), "{line}");
        }
        checked += 1;
    }
    assert!(checked >= 3);
    // Citizen text stays text.
    assert!(
        text.contains("#read(\"/etc/passwd\")") && text.contains("$x$"),
        "{text}"
    );
    assert!(!text.contains("root:x:0:0"));
    // The CJK font is embedded; no missing glyphs.
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    assert!(fonts.contains("CJK"), "{fonts}");
    assert!(!text.contains('□'));
    // The same bytes again.
    let out_b = t.dir.path().join("b");
    assert!(t
        .run(&[
            "report",
            "monthly",
            "2024-02",
            "--out",
            out_b.to_str().unwrap()
        ])
        .status
        .success());
    assert!(
        std::fs::read(&pdf).unwrap()
            == std::fs::read(out_b.join("2024年02月 行政执法监督12345热线数据分析月报.pdf"))
                .unwrap(),
        "two runs differ"
    );
}

#[test]
fn every_period_report_renders_and_a_wrong_period_says_what_to_write() {
    let t = sample_ws();
    let out = t.dir.path().join("r");
    for (kind, period, file, heading) in [
        (
            "quarterly",
            "2024Q1",
            "2024年第1季度 行政执法监督12345热线数据分析季报.pdf",
            "本季度",
        ),
        (
            "annual",
            "2024",
            "2024年 行政执法监督12345热线数据分析年报.pdf",
            "本年度",
        ),
        (
            "pilot-summary",
            "pilot",
            "2023—2024试点年度 行政执法监督与12345热线联动试点工作总结.pdf",
            "十、试点成效",
        ),
    ] {
        let run = t.run(&["report", kind, period, "--out", out.to_str().unwrap()]);
        assert!(
            run.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        let text = pdftotext(&out.join(file));
        assert!(text.contains(heading), "{kind}: {heading} missing");
        if kind == "pilot-summary" {
            for h in [
                "十一、典型案例",
                "十二、工作建议",
                "十三、下一年度执法监督计划建议",
            ] {
                assert!(text.contains(h), "{h} missing:\n{text}");
            }
            assert!(text.contains("一是聚焦重点领域"), "{text}");
        }
        if kind == "quarterly" {
            assert!(!text.contains("十一、典型案例"));
        }
    }
    let run = t.run(&["report", "monthly", "2024Q1"]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("2024-03"));
}

#[test]
fn letters_name_the_case_the_department_and_a_working_day_deadline() {
    let t = sample_ws();
    let (ticket, department): (String, String) = t
        .db()
        .query_row(
            "select ticket_id, department from fct_enforcement_appeals \
             where department is not null order by ticket_id limit 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // Typst markup in the appeal's text is printed, not run.
    {
        let db = t.db_rw();
        db.execute(
            "update appeals set title = '#read(\"/etc/passwd\") *x* [y]' where ticket_id = ?",
            [&ticket],
        )
        .unwrap();
    }
    let out = t.dir.path().join("letters");
    // Friday 2024-02-09 + 15 working days, with the Spring Festival (10–17 Feb off, Sunday
    // 18 Feb worked): 18, 19, 20, 21, 22, 23, 26, 27, 28, 29 Feb, 1, 4, 5, 6, 7 Mar.
    let run = t.run(&[
        "letter",
        "draft",
        "opinion",
        &ticket,
        "--date",
        "2024-02-09",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&run);
    let path = std::path::PathBuf::from(String::from_utf8_lossy(&run.stdout).trim().to_string());
    assert!(
        path.ends_with(format!(
            "样稿 {ticket} 行政执法监督意见书（{department}）.pdf"
        )),
        "{}",
        path.display()
    );
    let text = pdftotext(&path).replace(['\n', ' '], "");
    for expected in [
        "行政执法监督意见书",
        "（样稿，未编号）",
        &format!("{department}："),
        &ticket,
        "《山东省行政执法监督条例》",
        "请你单位于2024年3月7日前完成整改",
        "2024年2月9日",
        "#read(\"/etc/passwd\")*x*[y]",
    ] {
        assert!(text.contains(expected), "{expected} missing:\n{text}");
    }
    let again = t.dir.path().join("again");
    let run = t.run(&[
        "letter",
        "draft",
        "opinion",
        &ticket,
        "--date",
        "2024-02-09",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    assert!(
        std::fs::read(&path).unwrap()
            == std::fs::read(again.join(path.file_name().unwrap())).unwrap()
    );
    let run = t.run(&[
        "letter",
        "draft",
        "reminder",
        &ticket,
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&run);
    assert!(pdftotext(std::path::Path::new(
        String::from_utf8_lossy(&run.stdout).trim()
    ))
    .contains("提醒函"));
}

#[test]
fn a_regions_report_carries_its_name_and_its_own_figures() {
    let t = sample_ws();
    let out = t.dir.path().join("r");
    let run = t.run(&[
        "report",
        "quarterly",
        "2024Q1",
        "--region",
        "兖州区",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&run);
    let text = pdftotext(&out.join("2024年第1季度 兖州区行政执法监督12345热线数据分析季报.pdf"));
    let json = t.run(&[
        "indicators",
        "--period",
        "2024Q1",
        "--by",
        "region",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let row = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["单位"] == "兖州区")
        .unwrap();
    let volume = row["诉求量"].as_i64().unwrap();
    assert!(
        text.contains(&format!(
            "兖州区 12345 热线共受理涉及行政执法诉求 {volume} 件"
        )),
        "{text}"
    );
    assert!(text.contains("各部门情况"));
    // Its key supervision list and hot issues are its own: no other region's name in them.
    let supervision = text.split("七、重点督办事项").nth(1).unwrap_or("");
    assert!(!supervision.contains("任城区"), "{supervision}");
    let run = t.run(&["report", "quarterly", "2024Q1", "--region", "火星区"]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("兖州区"));
}

#[test]
fn report_all_writes_every_report_due_for_the_year() {
    let t = sample_ws();
    let out = t.dir.path().join("all");
    let run = t.run(&["report", "all", "2024", "--out", out.to_str().unwrap()]);
    ok(&run);
    let listed: Vec<String> = String::from_utf8_lossy(&run.stdout)
        .lines()
        .map(String::from)
        .collect();
    let written = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(listed.len(), written);
    for name in [
        "2024年01月 行政执法监督12345热线数据分析月报.pdf",
        "2024年03月 行政执法监督12345热线数据分析月报.pdf",
        "2024年第1季度 行政执法监督12345热线数据分析季报.pdf",
        "2024年第1季度 兖州区行政执法监督12345热线数据分析季报.pdf",
        "2024年 行政执法监督12345热线数据分析年报.pdf",
    ] {
        assert!(out.join(name).is_file(), "{name} missing: {listed:?}");
    }
    // A quarter: its three months and the quarter itself, city-wide and for each pilot unit.
    let q = t.dir.path().join("q");
    let run = t.run(&["report", "all", "2024Q1", "--out", q.to_str().unwrap()]);
    ok(&run);
    let mut names: Vec<String> = std::fs::read_dir(&q)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let units = t.ws.config.pilot.units.len();
    assert_eq!(
        names.iter().filter(|n| n.contains("月报")).count(),
        3,
        "{names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| n.contains("季报")).count(),
        1 + units,
        "{names:?}"
    );
    assert_eq!(names.len(), 4 + units, "{names:?}");
}

#[test]
fn charts_pdf_a_font_roles_and_the_offices_own_wording() {
    let t = sample_ws();
    let out = t.dir.path().join("c");
    let run = t.run(&[
        "report",
        "pilot-summary",
        "pilot",
        "--out",
        out.to_str().unwrap(),
    ]);
    ok(&run);
    let pdf = out.join("2023—2024试点年度 行政执法监督与12345热线联动试点工作总结.pdf");
    // pdftotext puts spaces between Chinese and digits.
    let text = pdftotext(&pdf).replace(' ', "");
    // Every chart with its numbered caption (the sample has too few callbacks to rank
    // departments, so no ranking chart), and the charts' own Chinese labels as text.
    let months = t.count("select count(distinct strftime(accepted_at, '%Y-%m')) from appeals");
    for caption in [
        format!("图1全市近{months}个月涉及行政执法诉求量（件）"),
        format!("图2全市近{months}个月按期办结率与回访满意率"),
        "图32023—2024试点年度各执法领域诉求量及占比".to_string(),
        "图4试点单位与其他区县回访满意率（2022-11至2024-10）".to_string(),
    ] {
        assert!(text.contains(&caption), "{caption} missing:\n{text}");
    }
    assert!(text.contains("按期办结率") && text.contains("其他区县"));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("pdfaid:part"));

    // --pdf-a: PDF/A-2b, and still the same bytes twice.
    let a = t.dir.path().join("a");
    let b = t.dir.path().join("b");
    for dir in [&a, &b] {
        let run = t.run(&[
            "report",
            "monthly",
            "2024-03",
            "--pdf-a",
            "--out",
            dir.to_str().unwrap(),
        ]);
        ok(&run);
    }
    let name = "2024年03月 行政执法监督12345热线数据分析月报.pdf";
    let pdf_a = std::fs::read(a.join(name)).unwrap();
    assert_eq!(pdf_a, std::fs::read(b.join(name)).unwrap());
    let meta = String::from_utf8_lossy(&pdf_a);
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part>") && meta.contains("<pdfaid:conformance>B")
    );

    // Font roles from rexian.toml, and a workspace's own wording of the overview.
    let fonts = |dir: &std::path::Path| {
        let out = Command::new("pdffonts")
            .arg(dir.join(name))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(fonts(&a).contains("NotoSerifCJK"), "{}", fonts(&a));
    let toml = t.root().join("rexian.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config = config.replace(
        "body = [\"FangSong_GB2312\", \"仿宋_GB2312\", \"FangSong\", \"仿宋\", \"Noto Serif CJK SC\"]",
        "body = [\"Noto Sans CJK SC\"]",
    );
    config = config.replace(
        "title = [\"FZXiaoBiaoSong-B05S\", \"方正小标宋简体\", \"Noto Serif CJK SC\"]",
        "title = [\"Noto Sans CJK SC\"]",
    );
    config = config.replace(
        "kai = [\"KaiTi_GB2312\", \"楷体_GB2312\", \"KaiTi\", \"楷体\", \"Noto Serif CJK SC\"]",
        "kai = [\"Noto Sans CJK SC\"]",
    );
    std::fs::write(&toml, config).unwrap();
    std::fs::create_dir_all(t.root().join("report-templates/prose")).unwrap();
    std::fs::write(
        t.root().join("report-templates/prose/overview.j2"),
        "{{ period }}共受理{{ volume }}件（本办公室措辞）。",
    )
    .unwrap();
    let c = t.dir.path().join("sans");
    let run = t.run(&["report", "monthly", "2024-03", "--out", c.to_str().unwrap()]);
    ok(&run);
    let f = fonts(&c);
    assert!(
        f.contains("NotoSansCJK") && !f.contains("NotoSerifCJK"),
        "{f}"
    );
    let volume = t.count(
        "select cast(value as bigint) from mart_indicator_values where period_key = '2024-03' \
         and unit_kind = 'city' and indicator = 'volume'",
    );
    let text = pdftotext(&c.join(name)).replace(' ', "");
    assert!(
        text.contains(&format!("2024年03月共受理{volume}件（本办公室措辞）")),
        "{text}"
    );
}

/// The header line of a table in `pdftotext -layout` text: the line holding its first two
/// labels. Every label must stand on it whole: a header that wraps leaves a fragment there.
fn assert_header_whole(text: &str, labels: &[&str], report: &str) {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words.contains(&labels[0]) && words.contains(&labels[1])
        })
        .collect();
    assert!(!lines.is_empty(), "{report}: no header {labels:?}:\n{text}");
    for line in lines {
        let words: Vec<&str> = line.split_whitespace().collect();
        for label in labels {
            assert!(
                words.contains(label),
                "{report}: the header {label} is broken in {line:?}"
            );
        }
    }
}

#[test]
fn table_headers_never_break_inside_a_word_and_the_rank_is_explained() {
    let t = sample_ws();
    // Rank the monthly report's departments on three months, as an office with a high volume
    // would; the sample has three months.
    let toml = t.root().join("rexian.toml");
    let config = std::fs::read_to_string(&toml).unwrap();
    assert!(config.contains("ranking_months = 12"));
    // The sample is small: fewer callbacks make a department rankable.
    let config = config
        .replace("ranking_months = 12", "ranking_months = 3")
        .replace("min_callbacks = 30", "min_callbacks = 8");
    std::fs::write(&toml, config).unwrap();
    ok(&t.run(&["refresh"]));
    let out = t.dir.path().join("out");
    let o = out.to_str().unwrap();
    ok(&t.run(&["report", "monthly", "2024-03", "--out", o]));
    ok(&t.run(&["report", "quarterly", "2024Q1", "--out", o]));
    ok(&t.run(&["report", "pilot-summary", "pilot", "--out", o]));
    // 平均时长 first: the line is the department and region tables' header, not the fields'.
    let ranked = [
        "平均时长",
        "排名",
        "单位",
        "诉求量",
        "签收率",
        "办结率",
        "退单率",
        "满意率",
        "效能指数",
        "保守效能指数",
        "等级",
    ];
    // Each table's header; its first two labels find the line.
    let every = [
        &[
            "工单编号",
            "督办类型",
            "区县",
            "承办单位",
            "诉求分类",
            "办理状态",
        ][..],
        &["分级", "其中屡次不改", "建议措施", "件数"],
        &["占比", "诉求分类", "排名", "件数", "环比增长"],
        &["前期月均", "预警线", "诉求分类", "区县", "件数"],
        &[
            "退单件数",
            "建议牵头单位",
            "诉求分类",
            "区县",
            "件数",
            "退单单位",
        ],
        &["维度", "占比", "名称", "件数"],
    ];
    let summary = "2023—2024试点年度 行政执法监督与12345热线联动试点工作总结.pdf";
    let text = pdftotext(&out.join(summary));
    for labels in [
        &[
            "双重差分",
            "指标",
            "试点单位·试点前",
            "试点单位·试点期间",
            "非试点单位·试点前",
            "非试点单位·试点期间",
        ][..],
        &["维度", "投诉举报件数", "排名", "名称"],
    ] {
        assert_header_whole(&text, labels, summary);
    }
    for name in [
        "2024年03月 行政执法监督12345热线数据分析月报.pdf",
        "2024年第1季度 行政执法监督12345热线数据分析季报.pdf",
        summary,
    ] {
        let text = pdftotext(&out.join(name));
        for labels in every {
            assert_header_whole(&text, labels, name);
        }
        assert_header_whole(&text, &ranked, name);
        // The fields' table: the same labels but 平均时长.
        assert_header_whole(&text, &ranked[1..], name);
        assert_header_whole(
            &text,
            &[
                "排名",
                "关键词",
                "同见于",
                "含该词件数",
                "上期件数",
                "环比增长",
            ],
            name,
        );
        assert_header_whole(&text, &["指标", "表中简称", "口径"], name);
        // The short labels are given their full names in the appendix.
        let appendix = &text[text.find("指标口径").unwrap()..];
        let line = appendix.lines().find(|l| l.contains("及时签收率")).unwrap();
        assert!(line.contains("签收率") && line.contains("÷"), "{line}");
        // Under each ranked table, what the rank follows.
        let flat = text.replace([' ', '\n'], "");
        assert!(
            flat.matches("注：排名按保守效能指数由高到低排列").count() >= 3,
            "{name}"
        );
    }

    // The monthly report ranks departments on 2024-01..2024-03 and says so; its rows are
    // those of `rexian indicators` for those months.
    let text = pdftotext(&out.join("2024年03月 行政执法监督12345热线数据分析月报.pdf"));
    let flat = text.replace([' ', '\n'], "");
    assert!(
        flat.contains("近3个月（2024年01月至03月）滚动计算"),
        "{flat}"
    );
    let json = ok(&t.run(&[
        "indicators",
        "--period",
        "2024-01..2024-03",
        "--by",
        "department",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows: Vec<&serde_json::Value> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["排名"].is_null())
        .collect();
    // Three months ending with March are the first quarter: every figure is the same.
    let quarter = ok(&t.run(&[
        "indicators",
        "--period",
        "2024Q1",
        "--by",
        "department",
        "--format",
        "json",
    ]));
    let quarter: serde_json::Value = serde_json::from_str(&quarter).unwrap();
    assert_eq!(doc["rows"], quarter["rows"]);
    let month = ok(&t.run(&[
        "indicators",
        "--period",
        "2024-03",
        "--by",
        "department",
        "--format",
        "json",
    ]));
    let month: serde_json::Value = serde_json::from_str(&month).unwrap();
    let ranked_in_month = month["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["排名"].is_null())
        .count();
    assert!(
        rows.len() > ranked_in_month,
        "three months rank {} departments, the month {ranked_in_month}",
        rows.len()
    );
    let section = &text[text.find("执法部门效能评价").unwrap()..text.find("分级分类").unwrap()];
    for r in rows.iter().take(20) {
        let name = r["单位"].as_str().unwrap();
        let line = section
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name))
            .unwrap_or_else(|| panic!("{name} not ranked in the report:\n{section}"));
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], r["排名"].as_i64().unwrap().to_string(), "{line}");
        assert_eq!(
            words[2],
            r["诉求量"].as_i64().unwrap().to_string(),
            "{line}"
        );
        assert!(
            words.contains(&format!("{:.1}", r["保守效能指数"].as_f64().unwrap()).as_str()),
            "{line}"
        );
        assert!(
            words.contains(&format!("{:.1}", r["效能指数"].as_f64().unwrap()).as_str()),
            "{line}"
        );
    }
}

#[test]
fn hot_keywords_are_phrases_not_fragments_or_filler() {
    let t = sample_ws();
    let json = ok(&t.run(&["analyse", "hot", "--period", "2024-03", "--format", "json"]));
    let docs: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keywords = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"].as_str().unwrap_or("").contains("热点关键词"))
        .unwrap_or_else(|| panic!("{json}"));
    let words: Vec<&str> = keywords["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["关键词"].as_str().unwrap())
        .collect();
    assert!(words.len() >= 5, "{words:?}");
    for fragment in [
        "我叫",
        "电动",
        "自行车",
        "停放",
        "充电",
        "违规",
        "有关",
        "查处",
        "反映",
        "问题",
        "市民",
    ] {
        assert!(!words.contains(&fragment), "{fragment} in {words:?}");
    }
    // The planted surge of 2024-03 is one phrase, near the top.
    assert!(
        words[..3]
            .iter()
            .any(|w| w.contains("电动自行车") && w.contains("充电")),
        "{words:?}"
    );
    // No address: a clause ending in a house number proposes nothing.
    assert!(
        !words
            .iter()
            .any(|w| w.ends_with("路") || w.ends_with("花园")),
        "{words:?}"
    );
}
