//! GBK and XLSX round trips, generated files of every format, and every date variant.

use rexian::generate::Format;

use super::util::*;

#[test]
fn gbk_round_trip_equals_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), "2024-02", "2024-02", 150, Format::Csv, 11);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let (gbk, _, bad) = encoding_rs::GB18030.encode(text.trim_start_matches('\u{feff}'));
    assert!(!bad);
    let gbk_path = dir.path().join("gbk").join("12345热线工单_2024-02.csv");
    std::fs::create_dir_all(gbk_path.parent().unwrap()).unwrap();
    std::fs::write(&gbk_path, &gbk).unwrap();

    let a = TestWs::new();
    let sa = loaded(&a.load(&files)[0]).clone();
    let b = TestWs::new();
    let sb = loaded(&b.load(&[gbk_path])[0]).clone();
    assert_eq!(sa.encoding.as_deref(), Some("utf-8-bom"));
    assert_eq!(sb.encoding.as_deref(), Some("gb18030"));
    assert_eq!((sb.inserted, sb.rejected), (sa.inserted, 0));
    assert_eq!(a.content_hash(), b.content_hash());
}

#[test]
fn xlsx_round_trip_equals_csv() {
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), "2024-02", "2024-02", 150, Format::Csv, 12);
    let (header, rows) = read_csv(&files[0]);
    // The same rows as a workbook: times as real date cells, everything else as text.
    let xlsx = dir.path().join("12345热线工单_2024-02.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            if v.is_empty() {
                continue;
            }
            let is_time =
                header[c as usize].contains("时间") || header[c as usize].contains("办结时");
            match (
                is_time,
                rexian::ingest::parse_timestamp(&rexian::ingest::Cell::Text(v.clone())),
            ) {
                (true, Ok(Some(t))) => {
                    let dt = rust_xlsxwriter::ExcelDateTime::parse_from_str(
                        &t.format("%Y-%m-%d %H:%M:%S").to_string(),
                    )
                    .unwrap();
                    sheet.write_datetime_with_format(r, c, &dt, &fmt).unwrap();
                }
                _ => {
                    sheet.write_string(r, c, v).unwrap();
                }
            }
        }
    }
    book.save(&xlsx).unwrap();
    let a = TestWs::new();
    a.load(&files);
    let b = TestWs::new();
    let s = loaded(&b.load(&[xlsx])[0]).clone();
    assert_eq!(s.format, "xlsx");
    assert_eq!(s.rejected, 0);
    assert_eq!(a.content_hash(), b.content_hash());
}

#[test]
fn a_workbook_split_over_two_sheets_loads_each_row_once() {
    // Exports over a sheet's size, or by district, come as several sheets whose row numbers
    // each start again at 2: rows must still be told apart by more than their number.
    let dir = tempfile::tempdir().unwrap();
    let files = generate(dir.path(), "2024-02", "2024-02", 150, Format::Csv, 14);
    let (header, rows) = read_csv(&files[0]);
    let half = rows.len() / 2;
    let id = header.iter().position(|h| h == "工单编号").unwrap();
    // The second sheet also repeats the first sheet's first ticket, identically: one copy wins.
    let mut second: Vec<Vec<String>> = rows[half..].to_vec();
    second.push(rows[0].clone());
    let xlsx = dir.path().join("12345热线工单_2024-02.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for part in [&rows[..half], &second[..]] {
        let sheet = book.add_worksheet();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        for (r, row) in part.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    book.save(&xlsx).unwrap();

    let a = TestWs::new();
    a.load(&files);
    let b = TestWs::new();
    let s = loaded(&b.load(&[xlsx])[0]).clone();
    assert_eq!(s.sheets.len(), 2, "{:?}", s.sheets);
    assert_eq!(s.rows_read, rows.len() as u64 + 1);
    assert_eq!(
        (s.inserted, s.unchanged, s.superseded, s.rejected),
        (rows.len() as u64, 1, 1, 0)
    );
    assert_eq!(b.count("select count(*) from appeals"), rows.len() as i64);
    assert_eq!(
        b.count(&format!(
            "select count(*) from appeals where ticket_id = '{}'",
            rows[0][id]
        )),
        1
    );
    assert_eq!(a.content_hash(), b.content_hash());
}

#[test]
fn generated_files_of_every_format_load_cleanly() {
    for format in [Format::Xlsx, Format::Csv, Format::CsvGbk] {
        let t = TestWs::new();
        let files = generate(
            &t.dir.path().join("x"),
            "2023-12",
            "2024-01",
            120,
            format,
            13,
        );
        for o in t.load(&files) {
            let s = loaded(&o);
            assert_eq!(s.rejected, 0, "{format:?}: {s:?}");
            assert!(s.inserted > 100);
        }
    }
}

#[test]
fn every_date_variant_means_the_same_moment() {
    let t = TestWs::new();
    let variants = [
        "2024-03-05 08:05:00",
        "2024/3/5 8:05",
        "45356.3368055556",
        "2024年3月5日 8时5分",
        "2024-03-05T08:05:00",
        "20240305080500",
        "2024.3.5 8:05:00",
    ];
    let header: Vec<String> = ["工单编号", "受理时间", "所属区县", "诉求内容", "办理状态"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<String>> = variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            vec![
                format!("D{i}"),
                v.to_string(),
                "兖州区".into(),
                "路灯不亮".into(),
                "办理中".into(),
            ]
        })
        .collect();
    let path = t.dir.path().join("dates_2024-03.csv");
    write_csv(&path, &header, &rows);
    let s = loaded(&t.load(&[path])[0]).clone();
    assert_eq!(
        (s.inserted, s.rejected),
        (variants.len() as u64, 0),
        "{s:?}"
    );
    assert_eq!(
        t.count("select count(distinct accepted_at) from appeals"),
        1
    );
    assert_eq!(
        t.count("select count(*) from appeals where accepted_at = timestamp '2024-03-05 08:05:00'"),
        variants.len() as i64
    );
}

/// The files offices actually get: an old binary `.xls` workbook (a committed fixture written
/// by xlwt: a title row, real date cells and a text date, personal data in the text).
#[test]
fn an_old_binary_xls_workbook_loads_like_an_xlsx_one() {
    let t = TestWs::new();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/12345热线工单_2024-03.xls");
    let s = loaded(&t.load(&[fixture])[0]).clone();
    assert_eq!(
        (s.inserted, s.rejected, s.format.as_str()),
        (3, 0, "xls"),
        "{s:?}"
    );
    let db = t.db();
    let (accepted, region, content): (String, String, String) = db
        .query_row(
            "select strftime(accepted_at, '%Y-%m-%d %H:%M:%S'), region_name, content from appeals \
             where ticket_id = 'X1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (accepted.as_str(), region.as_str()),
        ("2024-03-05 08:05:00", "任城区")
    );
    assert_eq!(
        content,
        "来电人[姓名]反映商户老板[姓名]在店外占道经营，联系电话[电话]"
    );
    let plate: String = db
        .query_row(
            "select content from appeals where ticket_id = 'X3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(plate, "出租车司机[姓名]拒载，车牌[车牌]");
}

#[test]
fn a_web_page_saved_as_xls_is_refused_saying_what_it_is() {
    let t = TestWs::new();
    let path = t.dir.path().join("12345热线工单_2024-03.xls");
    std::fs::write(
        &path,
        "<html><head><meta charset=\"utf-8\"></head><body><table><tr><td>工单编号</td><td>受理时间</td></tr>\
         <tr><td>A1</td><td>2024-03-05 08:05:00</td></tr></table></body></html>",
    )
    .unwrap();
    let msg = refused(&t.load(&[path])[0]);
    assert!(
        msg.contains("web page") && msg.contains("save it as .xlsx"),
        "{msg}"
    );
    assert_eq!(t.count("select count(*) from appeals"), 0);
}

#[test]
fn full_width_dates_and_invisible_characters_in_headers_load() {
    let t = TestWs::new();
    let header: Vec<String> = [
        "工单编号",
        "受理\u{200B}时间",
        "所属区县\u{00A0}",
        "诉求内容",
        "\u{FEFF}办理状态",
        "退单次数",
    ]
    .map(String::from)
    .to_vec();
    let rows = vec![
        vec![
            "W1",
            "２０２４－０３－０５　０８：０５：００",
            "任城区",
            "路灯不亮",
            "办理中",
            "１",
        ],
        vec![
            "W2",
            "２０２４年３月６日 ９时３０分",
            "兖州区",
            "井盖缺失",
            "办理中",
            "０次",
        ],
    ]
    .into_iter()
    .map(|r| r.into_iter().map(String::from).collect())
    .collect::<Vec<Vec<String>>>();
    let path = t.dir.path().join("fullwidth_2024-03.csv");
    write_csv(&path, &header, &rows);
    let s = loaded(&t.load(&[path])[0]).clone();
    assert_eq!((s.inserted, s.rejected), (2, 0), "{s:?}");
    let got: String = t
        .db()
        .query_row(
            "select string_agg(strftime(accepted_at, '%Y-%m-%d %H:%M') || ' ' || returns, ', ' order by ticket_id) from appeals",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(got, "2024-03-05 08:05 1, 2024-03-06 09:30 0");
}
