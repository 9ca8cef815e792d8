//! Benchmark helper (issue 13): fills a workspace's 督办台账 with N cases of about E events
//! each, signed along the chain as rexian signs them (`casework::log::append_all`, in one
//! transaction), so that `rexian case list`, `case show` and `case verify` can be timed on a
//! register of an office's years. Cases cycle through the states; every tenth is past its
//! deadline.
//!
//! Usage: casework_fill WORKSPACE CASES EVENTS_PER_CASE

use std::time::Instant;

use anyhow::{Context, Result};
use rexian::casework::log::{self, ChainKey, Event};
use rexian::config::Workspace;

fn main() -> Result<()> {
    let usage = "usage: casework_fill WORKSPACE CASES EVENTS_PER_CASE";
    let mut args = std::env::args().skip(1);
    let ws = Workspace::open(std::path::Path::new(&args.next().context(usage)?))?;
    let cases: u32 = args.next().context(usage)?.parse()?;
    let per_case: u32 = args.next().context(usage)?.parse()?;
    let key = ChainKey::load(&ws)?;
    let mut conn = rexian::warehouse::open(
        &ws.warehouse_path(),
        rexian::warehouse::Access::ReadWrite,
        rexian::warehouse::LOCK_WAIT,
    )?;
    let started = Instant::now();
    let tx = conn.transaction()?;
    // Gathered first and appended at once (`log::append_all`): the register is worked out
    // once at the end, not once per event of 200 000.
    let mut all = Vec::new();
    let mut append = |e: Event| -> Result<()> {
        all.push(e);
        Ok(())
    };
    let t0 = 1_735_689_600; // 2025-01-01 00:00 UTC
    for c in 0..cases {
        let case_no = format!("2025-{:04}", c + 1);
        let at = t0 + i64::from(c) * 600;
        let event =
            |action: &str, from: Option<&str>, to: &str, details: Option<String>, k: u32| Event {
                event_id: 0,
                case_no: case_no.clone(),
                at: at + i64::from(k) * 60,
                staff: ["张明", "李华", "王强"][(k % 3) as usize].into(),
                action: action.into(),
                from_state: from.map(str::to_string),
                to_state: to.into(),
                note: Some(format!("第{k}次办理")),
                details,
                file_sha256: None,
                mac: String::new(),
            };
        let open = serde_json::json!({
            "kind": "个案监督", "tickets": [format!("JN2025{c:08}")], "grades": ["重大"],
            "title": "城乡建设/城市管理/占道经营", "region": "任城区",
            "field": "综合行政执法(城市管理)", "departments": ["任城区综合行政执法局"],
        });
        append(event("open", None, "待研判", Some(open.to_string()), 0))?;
        let due = if c % 10 == 0 {
            "2025-02-01"
        } else {
            "2099-12-31"
        };
        let assign =
            serde_json::json!({"staff": "张明", "form": "线上监督", "workdays": 15, "due": due});
        append(event(
            "assign",
            Some("待研判"),
            "督办中",
            Some(assign.to_string()),
            1,
        ))?;
        // Answers and returns in turn, then (for most) approval and closing.
        let mut k = 2;
        while k + 2 < per_case {
            append(event("answer", Some("督办中"), "待审核", None, k))?;
            let back = serde_json::json!({"workdays": 5, "due": due});
            append(event(
                "return",
                Some("待审核"),
                "督办中",
                Some(back.to_string()),
                k + 1,
            ))?;
            k += 2;
        }
        if c % 4 != 0 {
            append(event("answer", Some("督办中"), "待审核", None, k))?;
            append(event("approve", Some("待审核"), "审核通过", None, k + 1))?;
        }
    }
    let head = log::append_all(&tx, &key, &(0, String::new()), all)?;
    tx.commit()?;
    if head.0 > 0 {
        log::write_head(&log::head_path(&ws), &head)?;
    }
    let events: i64 = conn.query_row("select count(*) from case_events", [], |r| r.get(0))?;
    println!(
        "RESULT filled {cases} cases, {events} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
