//! One simulated work order (工单) from acceptance to callback, and its state on a given day.
//!
//! A ticket is a pure function of (seed, month, slot): the generator never has to keep a
//! month of tickets in memory to know what a later extract shows of them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::prng::Rng;
use super::vocab;
use crate::period::YearMonth;
use crate::reference::Reference;

/// What a slot of a month holds: an ordinary appeal or one of the planted patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The `n`th ordinary appeal of the month, of `of` in all.
    Normal { n: u32, of: u32 },
    /// An appeal bounced between two departments (退单往返).
    Bounce(u32),
    /// The same address and category, re-appealed every month after each closing (屡次不改).
    RepeatAddress,
    /// Extra volume of one category in one region (预警).
    Spike(u32),
    /// One problem spread over several regions (普遍性执法问题): (region index, n).
    Widespread(u32, u32),
    /// An appeal with major-incident words (重大).
    Major(u32),
}

/// The most ordinary appeals a month can have, so that slot codes stay unique.
pub const MAX_PER_MONTH: u32 = 50_000_000;

impl Slot {
    /// A number unique to the slot within its month, part of the ticket id and its seed.
    pub fn code(self) -> u64 {
        match self {
            Slot::Normal { n, .. } => n as u64,
            // Planted slots live above every ordinary one (at most MAX_PER_MONTH a month), each
            // kind in its own block of ten million, wide enough for MAX_PER_MONTH.
            Slot::Bounce(k) => 100_000_000 + k as u64,
            Slot::RepeatAddress => 110_000_000,
            Slot::Spike(k) => 120_000_000 + k as u64,
            Slot::Widespread(r, k) => 130_000_000 + r as u64 * 2_000_000 + k as u64,
            Slot::Major(k) => 140_000_000 + k as u64,
        }
    }
}

/// The fixed facts of the planted patterns, shared by the generator and its manifest.
pub mod plant {
    /// Region and category bounced between two departments.
    pub const BOUNCE_REGION: &str = "任城区";
    /// Category of the bounced appeals.
    pub const BOUNCE_CATEGORY: &str = "城乡建设/违法建设/小区内私搭乱建";
    /// The two departments it bounces between; the first finally closes it.
    pub const BOUNCE_DEPARTMENTS: [&str; 2] = ["任城区综合行政执法局", "任城区住房和城乡建设局"];
    /// Region of the re-appealed address.
    pub const REPEAT_REGION: &str = "泗水县";
    /// Street of the re-appealed address.
    pub const REPEAT_STREET: &str = "济河街道";
    /// The address appealed again after each closing.
    pub const REPEAT_ADDRESS: &str = "泗水县济河街道龙城小区3号楼";
    /// Its category.
    pub const REPEAT_CATEGORY: &str = "环境保护/噪声污染/夜间施工噪音";
    /// Region of the spike.
    pub const SPIKE_REGION: &str = "邹城市";
    /// Category of the spike.
    pub const SPIKE_CATEGORY: &str = "城乡建设/市容环境/餐饮油烟";
    /// Regions sharing the widespread problem.
    pub const WIDESPREAD_REGIONS: [&str; 4] = ["任城区", "兖州区", "金乡县", "曲阜市"];
    /// Category of the widespread problem.
    pub const WIDESPREAD_CATEGORY: &str = "安全生产/电动自行车/违规停放充电";
}

/// A ticket's whole life.
#[derive(Debug, Clone)]
pub struct Ticket {
    /// 工单编号.
    pub id: String,
    /// 受理渠道.
    pub channel: &'static str,
    /// 受理时间.
    pub accepted_at: NaiveDateTime,
    /// 诉求类型.
    pub appeal_type: &'static str,
    /// 诉求标题.
    pub title: String,
    /// 诉求内容, with the personal data an operator writes in.
    pub content: String,
    /// 来电人 (empty for anonymous callers).
    pub caller_name: String,
    /// 联系电话.
    pub caller_phone: String,
    /// 所属区县 as written in the extract (name, alias or code).
    pub region_written: String,
    /// The region's canonical name.
    pub region: String,
    /// 乡镇街道.
    pub street: &'static str,
    /// 事发地址.
    pub address: String,
    /// 诉求分类.
    pub category: String,
    /// 是否涉及行政执法.
    pub is_enforcement: bool,
    /// 执法领域 (name, from the reference data).
    pub field: Option<String>,
    /// Whether the extract leaves 是否涉及行政执法/执法领域 blank.
    pub hide_enforcement: bool,
    /// 承办单位 (the one that finally handles it).
    pub department: String,
    /// 协办单位.
    pub co_departments: Option<String>,
    /// 派单时间 (first dispatch).
    pub dispatched_at: NaiveDateTime,
    /// 签收时间.
    pub signed_at: NaiveDateTime,
    /// 应办结时间.
    pub due_at: NaiveDateTime,
    /// 应办结时间 before any extension.
    pub due_original: NaiveDateTime,
    /// Whether the extract leaves 办理时限 blank.
    pub hide_due: bool,
    /// 办结时间.
    pub closed_at: NaiveDateTime,
    /// 延期次数 (0 or 1) and when the extension was granted.
    pub extension_at: Option<NaiveDateTime>,
    /// Returns: when, and by whom.
    pub returns: Vec<(NaiveDateTime, String)>,
    /// 是否解决.
    pub resolved: &'static str,
    /// 回访时间 and 回访满意度.
    pub callback: Option<(NaiveDateTime, &'static str)>,
    /// 重办.
    pub reopened: bool,
    /// 是否督办.
    pub supervised: bool,
}

impl Ticket {
    /// When nothing more will change.
    pub fn finished_at(&self) -> NaiveDateTime {
        self.callback
            .map(|c| c.0)
            .unwrap_or(self.closed_at)
            .max(self.closed_at)
    }
}

/// Everything a ticket needs from outside itself.
pub struct Setting<'a> {
    /// The seed of the whole run.
    pub seed: u64,
    /// Reference data (regions, departments, calendar).
    pub reference: &'a Reference,
    /// First month of the pilot: pilot units handle better from then on.
    pub pilot_start: YearMonth,
    /// Region weights by population, in reference order.
    pub region_weights: Vec<f64>,
}

const CHANNELS: &[(&str, f64)] = &[
    ("电话", 95.0),
    ("微信", 1.5),
    ("网站", 1.0),
    ("APP", 1.0),
    ("短信", 0.5),
    ("市长信箱", 0.5),
    ("信件", 0.2),
    ("12345转办", 0.3),
];
const TYPES: &[(&str, f64, f64)] = &[
    // type, share, chance that it concerns law enforcement
    ("求助", 56.0, 0.03),
    ("咨询", 22.0, 0.03),
    ("举报", 9.0, 0.45),
    ("投诉", 7.0, 0.35),
    ("建议", 1.5, 0.05),
    ("表扬", 1.0, 0.0),
    ("感谢", 0.5, 0.0),
    ("其他", 3.0, 0.05),
];
const FIELD_WEIGHTS: &[(&str, f64)] = &[
    ("urban", 30.0),
    ("market", 20.0),
    ("environment", 10.0),
    ("housing", 12.0),
    ("labour", 8.0),
    ("transport", 6.0),
    ("police", 4.0),
    ("safety", 3.0),
    ("health", 2.0),
    ("culture", 2.0),
    ("agriculture", 1.5),
    ("resources", 1.5),
];
const HOUR_WEIGHTS: [f64; 24] = [
    0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 1.5, 6.0, 7.0, 7.0, 6.0, 4.0, 4.0, 6.0, 6.5, 6.5, 6.0, 4.0,
    3.5, 3.0, 2.0, 1.2, 0.6,
];

impl Setting<'_> {
    /// Simulates the ticket in `slot` of `month`. (Long, and kept in one piece: it draws the
    /// ticket's life in order, acceptance to callback, from one random stream, and splitting
    /// it would change which draw feeds which field, and so every generated byte.)
    pub fn ticket(&self, month: YearMonth, slot: Slot) -> Ticket {
        let mut rng = Rng::new(&[
            self.seed,
            (month.year * 100) as u64 + month.month as u64,
            slot.code(),
        ]);
        let r = self.reference;
        let days = month.last_day().day() as f64;

        // When and where.
        let accepted_at = match slot {
            Slot::Normal { n, of } => {
                let t = (n as f64 + rng.f64()) / of.max(1) as f64 * days;
                at_day_fraction(month.first_day() + Duration::days(t as i64), t.fract())
            }
            Slot::RepeatAddress => {
                month.first_day().and_hms_opt(9, 12, 0).unwrap() + Duration::days(9)
            }
            _ => {
                let day = rng.range(0, days as i64 - 1);
                at_day_fraction(month.first_day() + Duration::days(day), rng.f64())
            }
        };
        let region_idx = match slot {
            Slot::Normal { .. } => rng.weighted(&self.region_weights),
            Slot::Bounce(_) => region_index(r, plant::BOUNCE_REGION),
            Slot::RepeatAddress => region_index(r, plant::REPEAT_REGION),
            Slot::Spike(_) => region_index(r, plant::SPIKE_REGION),
            Slot::Widespread(i, _) => region_index(r, plant::WIDESPREAD_REGIONS[i as usize]),
            Slot::Major(k) => (k as usize * 5 + month.month as usize) % r.regions.len(),
        };
        let region = &r.regions[region_idx];
        let streets = vocab::STREETS
            .iter()
            .find(|(n, _)| *n == region.name)
            .map(|(_, s)| *s)
            .unwrap_or(&["城区"]);
        let street = if slot == Slot::RepeatAddress {
            plant::REPEAT_STREET
        } else {
            *rng.pick(streets)
        };
        let address = if slot == Slot::RepeatAddress {
            plant::REPEAT_ADDRESS.to_string()
        } else {
            format!(
                "{}{}{}{}号",
                region.name,
                street,
                rng.pick(vocab::PLACES),
                rng.range(1, 40)
            )
        };
        let region_written = match rng.range(0, 19) {
            0 => region.code.clone(),
            1 => crate::reference::split_aliases(&region.aliases)
                .next()
                .unwrap_or(&region.name)
                .to_string(),
            _ => region.name.clone(),
        };

        // What.
        let channel = CHANNELS[rng.weighted(&CHANNELS.iter().map(|c| c.1).collect::<Vec<_>>())].0;
        let ti = rng.weighted(&TYPES.iter().map(|t| t.1).collect::<Vec<_>>());
        let mut appeal_type = TYPES[ti].0;
        let planted = !matches!(slot, Slot::Normal { .. });
        let is_enforcement = planted || rng.chance(TYPES[ti].2);
        if planted {
            appeal_type = if rng.chance(0.6) { "投诉" } else { "举报" };
        }
        let (category, problem, field_code, department) = if is_enforcement {
            let (field_code, category, problem) = match slot {
                Slot::Bounce(_) => (
                    "urban",
                    plant::BOUNCE_CATEGORY,
                    "小区内有人私搭乱建，占用公共绿地",
                ),
                Slot::RepeatAddress => (
                    "environment",
                    plant::REPEAT_CATEGORY,
                    "工地夜间施工噪音扰民，多次反映仍未改正",
                ),
                Slot::Spike(_) => ("urban", plant::SPIKE_CATEGORY, "餐饮店油烟直排，气味很大"),
                Slot::Widespread(..) => (
                    "safety",
                    plant::WIDESPREAD_CATEGORY,
                    "楼道内电动自行车违规停放充电，存在火灾隐患",
                ),
                Slot::Major(k) => (
                    "urban",
                    "城乡建设/城市管理/执法行为",
                    vocab::MAJOR_TEXTS[k as usize % 3],
                ),
                Slot::Normal { .. } => {
                    let f = FIELD_WEIGHTS
                        [rng.weighted(&FIELD_WEIGHTS.iter().map(|f| f.1).collect::<Vec<_>>())]
                    .0;
                    let cats = vocab::ENFORCEMENT_CATEGORIES
                        .iter()
                        .find(|(c, _)| *c == f)
                        .map(|(_, c)| *c)
                        .unwrap_or(&[]);
                    let (c, p) = *rng.pick(cats);
                    (f, c, p)
                }
            };
            let dept = r
                .department(&region.code, field_code)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| format!("{}人民政府", region.name));
            (category.to_string(), problem, Some(field_code), dept)
        } else {
            let (c, p, who) = *rng.pick(vocab::OTHER_CATEGORIES);
            let dept = if who == "街道办事处" {
                format!("{street}办事处")
            } else {
                format!("{}{who}", region.name)
            };
            (c.to_string(), p, None, dept)
        };
        let field = field_code
            .and_then(|c| r.fields.iter().find(|f| f.code == c))
            .map(|f| f.name.clone());

        // Who.
        let repeat_caller = rng.chance(0.05);
        let mut who = if repeat_caller {
            Rng::new(&[self.seed, 77, region_idx as u64, rng.range(0, 40) as u64])
        } else {
            rng.clone()
        };
        let anonymous = who.chance(0.08);
        let caller_name = if anonymous {
            String::new()
        } else {
            format!("{}{}", who.pick(vocab::SURNAMES), who.pick(vocab::GIVEN))
        };
        let caller_phone = if who.chance(0.08) {
            format!("0537-{}", who.range(2_000_000, 8_999_999))
        } else {
            format!("1{}{:09}", who.range(3, 9), who.range(0, 999_999_999))
        };
        rng.next_u64();

        // Text, written as an operator would, personal data included.
        let demand = rng.pick(vocab::DEMANDS);
        let intro = match (anonymous, rng.range(0, 9)) {
            (false, 0..=2) => format!("来电人{caller_name}反映："),
            (false, 3) => format!("我叫{caller_name}，"),
            (false, 4) => format!(
                "{}{}来电称，",
                caller_name.chars().next().unwrap_or('王'),
                if rng.chance(0.5) { "先生" } else { "女士" }
            ),
            (_, 5..=7) => "市民反映：".to_string(),
            _ => "来电反映".to_string(),
        };
        let personal = match rng.range(0, 29) {
            0..=3 => format!("联系电话{caller_phone}，"),
            4 => format!("身份证号{}，", id_number(&mut rng, &region.code)),
            5 if !anonymous => format!("联系人：{caller_name}，手机{caller_phone}，"),
            _ => String::new(),
        };
        let content = format!(
            "{intro}{street}{}附近{problem}，{personal}{demand}。",
            address_tail(&address, region, street)
        );
        let title = match slot {
            Slot::Major(_) => "执法人员违法违纪问题".to_string(),
            _ => format!("{}问题", category.rsplit('/').next().unwrap_or(&category)),
        };

        // How it is handled.
        let pilot_better = region.is_pilot && month >= self.pilot_start;
        let dispatched_at = accepted_at + Duration::minutes(rng.range(5, 180));
        let signed_at = if rng.chance(0.01) {
            dispatched_at + Duration::hours(rng.range(26, 72))
        } else {
            dispatched_at + Duration::minutes(rng.range(2, 120))
        };
        let mut returns = Vec::new();
        let n_returns = match slot {
            Slot::Bounce(_) => 2,
            _ if is_enforcement => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]
                [rng.range(0, 19) as usize],
            _ => usize::from(rng.chance(0.02)),
        };
        let mut t = signed_at;
        for i in 0..n_returns {
            t += Duration::hours(rng.range(3, 30));
            let by = match slot {
                Slot::Bounce(_) => plant::BOUNCE_DEPARTMENTS[i % 2].to_string(),
                _ if i == 0 => department.clone(),
                _ => format!("{}人民政府", region.name),
            };
            returns.push((t, by));
            t += Duration::hours(rng.range(1, 8));
        }
        let department = match slot {
            Slot::Bounce(_) => plant::BOUNCE_DEPARTMENTS[0].to_string(),
            _ if n_returns > 0 && !is_enforcement => format!("{}人民政府", region.name),
            _ => department,
        };
        let last_dispatch = t.max(dispatched_at);
        let base_due = end_of(r.add_workdays(last_dispatch.date(), 5));
        let extended = rng.chance(0.03);
        let due_at = if extended {
            end_of(r.add_workdays(base_due.date(), 10))
        } else {
            base_due
        };
        let extension_at = extended.then(|| base_due - Duration::hours(rng.range(20, 60)));
        let on_time = match slot {
            Slot::RepeatAddress => true,
            _ => rng.chance(if pilot_better { 0.975 } else { 0.94 }),
        };
        let closed_at = if on_time {
            let span = due_at
                .signed_duration_since(last_dispatch)
                .num_minutes()
                .max(30);
            let share = rng.f64().powf(2.0); // most close early
            let c = last_dispatch + Duration::minutes((span as f64 * share) as i64 + 20);
            c.min(due_at)
        } else {
            due_at + Duration::hours(rng.range(2, 240))
        };
        let resolved = {
            let w: &[f64] = if pilot_better {
                &[84.0, 11.0, 5.0]
            } else {
                &[76.0, 14.0, 10.0]
            };
            ["已解决", "部分解决", "未解决"][rng.weighted(w)]
        };
        let callback = rng.chance(0.88).then(|| {
            // Callbacks are made in office hours, one to three days after closing.
            let day = closed_at.date() + Duration::days(rng.range(1, 3));
            let at =
                day.and_hms_opt(9, 0, 0).expect("valid") + Duration::minutes(rng.range(0, 8 * 60));
            let w: &[f64] = match (resolved, pilot_better) {
                ("未解决", _) => &[20.0, 30.0, 50.0],
                (_, true) => &[82.0, 14.0, 4.0],
                (_, false) => &[66.0, 21.0, 13.0],
            };
            (at, ["满意", "基本满意", "不满意"][rng.weighted(w)])
        });
        let reopened = callback.is_some_and(|c| c.1 == "不满意") && rng.chance(0.3);
        let supervised = matches!(slot, Slot::Major(_)) || rng.chance(0.02);
        let co_departments = (is_enforcement && rng.chance(0.1)).then(|| format!("{street}办事处"));

        Ticket {
            id: format!("JN{:04}{:02}{:07}", month.year, month.month, slot.code()),
            channel,
            accepted_at,
            appeal_type,
            title,
            content,
            caller_name,
            caller_phone,
            region_written,
            region: region.name.clone(),
            street,
            address,
            category,
            is_enforcement,
            field,
            hide_enforcement: !planted && rng.chance(0.2),
            department,
            co_departments,
            dispatched_at,
            signed_at,
            due_at,
            due_original: base_due,
            hide_due: rng.chance(0.3),
            closed_at,
            extension_at,
            returns,
            resolved,
            callback,
            reopened,
            supervised,
        }
    }
}

fn region_index(r: &Reference, name: &str) -> usize {
    r.regions.iter().position(|x| x.name == name).unwrap_or(0)
}

fn address_tail<'a>(address: &'a str, region: &crate::reference::Region, street: &str) -> &'a str {
    address
        .strip_prefix(region.name.as_str())
        .and_then(|a| a.strip_prefix(street))
        .unwrap_or(address)
}

fn end_of(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(23, 59, 59).expect("valid time")
}

/// A time of day drawn through the hotline's hourly call profile.
fn at_day_fraction(day: NaiveDate, fraction: f64) -> NaiveDateTime {
    let total: f64 = HOUR_WEIGHTS.iter().sum();
    let mut x = fraction * total;
    for (h, w) in HOUR_WEIGHTS.iter().enumerate() {
        if x < *w {
            let secs = (x / w * 3600.0) as u32;
            return day
                .and_time(NaiveTime::from_hms_opt(h as u32, secs / 60, secs % 60).expect("valid"));
        }
        x -= w;
    }
    day.and_hms_opt(23, 59, 0).expect("valid")
}

/// A well-formed 18-digit resident ID number (with its check digit).
fn id_number(rng: &mut Rng, region_code: &str) -> String {
    let birth =
        NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + Duration::days(rng.range(0, 365 * 55));
    let body = format!(
        "{region_code}{}{:03}",
        birth.format("%Y%m%d"),
        rng.range(0, 999)
    );
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// What an extract taken at `as_of` shows of a ticket.
#[derive(Debug, Clone)]
pub struct View<'a> {
    /// The ticket.
    pub t: &'a Ticket,
    /// The extract's moment.
    pub as_of: NaiveDateTime,
}

impl View<'_> {
    /// 签收时间, if signed by then.
    pub fn signed_at(&self) -> Option<NaiveDateTime> {
        (self.t.signed_at <= self.as_of).then_some(self.t.signed_at)
    }
    /// 派单时间, if dispatched by then.
    pub fn dispatched_at(&self) -> Option<NaiveDateTime> {
        (self.t.dispatched_at <= self.as_of).then_some(self.t.dispatched_at)
    }
    /// 办结时间, if closed by then.
    pub fn closed_at(&self) -> Option<NaiveDateTime> {
        (self.t.closed_at <= self.as_of).then_some(self.t.closed_at)
    }
    /// 延期次数 by then.
    pub fn extensions(&self) -> u32 {
        u32::from(self.t.extension_at.is_some_and(|e| e <= self.as_of))
    }
    /// Returns by then.
    pub fn returns(&self) -> Vec<&str> {
        self.t
            .returns
            .iter()
            .filter(|r| r.0 <= self.as_of)
            .map(|r| r.1.as_str())
            .collect()
    }
    /// 回访 by then.
    pub fn callback(&self) -> Option<(NaiveDateTime, &'static str)> {
        self.t.callback.filter(|c| c.0 <= self.as_of)
    }
    /// 办理状态 by then.
    pub fn status(&self) -> &'static str {
        if self.closed_at().is_some() {
            "已办结"
        } else if self.extensions() > 0 {
            "已延期"
        } else {
            "办理中"
        }
    }
    /// 应办结时间 as shown then: the original limit until an extension is granted.
    pub fn due_at(&self) -> NaiveDateTime {
        if self.extensions() > 0 {
            self.t.due_at
        } else {
            self.t.due_original
        }
    }
    /// Hour of acceptance, for the date-format choice.
    pub fn hour(&self) -> u32 {
        self.t.accepted_at.hour()
    }
}
