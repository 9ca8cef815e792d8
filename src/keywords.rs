//! 热点关键词: the phrases citizens' appeals of a period are about, such as 电动自行车违规停放充电
//! or 占道经营, rather than the segmenter's fragments (电动, 停放, 充电) and filler (有关, 查处).
//!
//! Three steps, each a plain function so that tests can feed it texts:
//! 1. [`propose`]: segment the texts with jieba and count, for every run of up to
//!    [`MAX_TOKENS`] adjacent segments, the appeals it occurs in. A run that is nearly always
//!    part of one longer run ([`FRAGMENT_SHARE`]) is a fragment of that phrase and is dropped,
//!    so adjacent segments that always occur together are merged. Runs that begin or end with
//!    a stopword (`[analysis] stopwords`) or a one-character segment are not phrases.
//!    A clause ending in a house number (阳光花园38号) is an address and proposes nothing; a
//!    generic word (`[analysis] generic_words`: 违规, 夜间) is no keyword alone.
//! 2. [`containing`]: the exact number of appeals whose text contains each candidate, in the
//!    period and in the period before, and how many contain two candidates together.
//! 3. [`rank`]: order by TF-IDF against the period before: the appeals with the phrase, times
//!    how rare it was before (a smoothed inverse document frequency), so that what is specific
//!    to the period comes first and what every period says sinks. A phrase found in the same
//!    appeals as a phrase ranked above it ([`SAME_APPEALS`]) is shown beside that one (火灾隐患
//!    beside 楼道内电动自行车违规停放充电) rather than counted as a second keyword.

use std::collections::HashSet;
use std::sync::LazyLock;

use jieba_rs::Jieba;
use rustc_hash::FxHashMap;

/// The longest phrase, in segments (楼道/内/电动/自行车/违规/停放/充电 is seven).
pub const MAX_TOKENS: usize = 8;

/// The longest phrase, in characters.
pub const MAX_CHARS: usize = 16;

/// A run is a fragment when at least this share of the appeals containing it contain one
/// particular longer run (电动 inside 电动自行车); one found in several phrases (占道经营 in
/// 商户占道经营 and 摊贩占道经营) stays a phrase of its own.
pub const FRAGMENT_SHARE: f64 = 0.8;

/// Two phrases describe the same appeals when at least this share of the appeals of each
/// contain both.
pub const SAME_APPEALS: f64 = 0.8;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the word-segmentation dictionary (about 0.2 s) on a background thread, so that it
/// is ready by the time the hot keywords are counted.
pub fn warm_up() {
    std::thread::spawn(|| LazyLock::force(&JIEBA));
}

/// One-character segments that may stand inside a phrase (违规停放 和 充电 is two things).
const JOINING_NOT: &[char] = &[
    '的', '了', '和', '与', '及', '或', '在', '是', '有', '被', '把', '对', '向', '从', '就', '都',
    '也', '又', '还', '但', '而', '并', '且', '等',
];

fn is_cjk(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// What is known of a run of segments while proposing.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    /// Appeals whose text has it.
    appeals: u64,
    /// Where its segments end, in bytes from its start (`ends[..segments]`).
    ends: [u8; MAX_TOKENS],
    segments: u8,
    /// The most appeals of any longer run that contains it.
    longest_extension: u64,
}

impl Run {
    /// The shorter runs inside `run` (each a whole number of its segments).
    fn parts(self, run: &str) -> impl Iterator<Item = &str> {
        let n = self.segments as usize;
        let ends = self.ends;
        let start = move |i: usize| if i == 0 { 0 } else { ends[i - 1] as usize };
        (0..n).flat_map(move |i| {
            (i..n)
                .filter(move |&j| j - i + 1 < n)
                .map(move |j| &run[start(i)..ends[j] as usize])
        })
    }
}

/// The candidate phrases of some texts, each with the number of appeals it occurs in,
/// most frequent first (ties by the phrase), fragments and stopwords left out. Each text
/// comes with the number of appeals that have it.
pub fn propose<'a>(
    texts: impl Iterator<Item = (&'a str, u64)>,
    stopwords: &HashSet<&str>,
    generic: &HashSet<&str>,
) -> Vec<(&'a str, u64)> {
    let mut runs: FxHashMap<&'a str, Run> = FxHashMap::default();
    let mut seen: Vec<(&'a str, Run)> = Vec::new();
    // Byte ranges of the segments of one clause; phrases never cross punctuation, digits or
    // masks.
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (text, appeals) in texts {
        seen.clear();
        spans.clear();
        let mut last_lone = false;
        let mut after_number = false;
        for token in JIEBA.cut(text, true) {
            let w = token.word;
            // The segments are slices of the text: their place in it is their address.
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            if is_cjk(w) && after_number && w.starts_with(|c| HOUSE_NUMBER_UNITS.contains(c)) {
                // 38号楼附近: the rest of the house number, not the start of a phrase.
                after_number = false;
            } else if is_cjk(w) {
                after_number = false;
                // Lone characters in a row are a word the dictionary lacks (占/道 → 占道).
                let lone = w.chars().count() == 1 && !w.chars().any(|c| JOINING_NOT.contains(&c));
                match spans.last_mut() {
                    Some(last) if lone && last_lone => last.1 = start + w.len(),
                    _ => spans.push((start, start + w.len())),
                }
                last_lone = lone;
            } else {
                last_lone = false;
                // 古槐街道阳光花园38号: a clause ending in a house number is an address.
                after_number = is_address(w, &text[start + w.len()..]);
                if !after_number {
                    collect_runs(text, &spans, stopwords, &mut seen);
                }
                spans.clear();
            }
        }
        collect_runs(text, &spans, stopwords, &mut seen);
        seen.sort_unstable_by(|a, b| a.0.cmp(b.0));
        seen.dedup_by(|a, b| a.0 == b.0);
        for (run, shape) in &seen {
            let r = runs.entry(run).or_insert(*shape);
            r.appeals += appeals;
        }
    }
    // Each run tells the shorter runs inside it how often it holds them.
    let mut extensions: Vec<(&str, u64)> = Vec::new();
    for (run, r) in &runs {
        extensions.extend(r.parts(run).map(|p| (p, r.appeals)));
    }
    for (part, appeals) in extensions {
        if let Some(r) = runs.get_mut(part) {
            r.longest_extension = r.longest_extension.max(appeals);
        }
    }
    let mut out: Vec<(&str, u64)> = runs
        .into_iter()
        .filter(|(run, r)| {
            (r.longest_extension as f64) < FRAGMENT_SHARE * r.appeals as f64
                && !stopwords.contains(run)
                && !generic.contains(run)
        })
        .map(|(run, r)| (run, r.appeals))
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    out
}

/// What follows the number of an address: 38号, 3栋, 2单元…
const HOUSE_NUMBER_UNITS: &str = "号栋幢楼单室弄巷";

/// Whether a clause ending at `token`, followed by `rest`, is an address: the token a number
/// and the next character 号, 栋, 幢, 楼, 单元, 室, 弄 or 巷.
fn is_address(token: &str, rest: &str) -> bool {
    token.chars().all(|c| c.is_ascii_digit())
        && rest
            .chars()
            .next()
            .is_some_and(|c| HOUSE_NUMBER_UNITS.contains(c))
}

/// Every phrase of one clause (consecutive CJK segments given as byte ranges of `text`),
/// with where its segments end.
fn collect_runs<'a>(
    text: &'a str,
    spans: &[(usize, usize)],
    stopwords: &HashSet<&str>,
    out: &mut Vec<(&'a str, Run)>,
) {
    let word = |i: usize| &text[spans[i].0..spans[i].1];
    let can_end = |i: usize| word(i).chars().count() >= 2 && !stopwords.contains(word(i));
    let single = |i: usize| word(i).chars().count() == 1;
    for first in 0..spans.len() {
        // After a lone character that joins nothing (小/区内), the segmenter has cut a word.
        let cut_word = first > 0
            && single(first - 1)
            && !word(first - 1).chars().any(|c| JOINING_NOT.contains(&c));
        if !can_end(first) || cut_word {
            continue;
        }
        for last in first..spans.len().min(first + MAX_TOKENS) {
            let w = word(last);
            if last > first && w.chars().count() == 1 && w.chars().any(|c| JOINING_NOT.contains(&c))
            {
                break;
            }
            let run = &text[spans[first].0..spans[last].1];
            if run.chars().count() > MAX_CHARS {
                break;
            }
            if !can_end(last) {
                continue;
            }
            let mut shape = Run {
                segments: (last - first + 1) as u8,
                ..Run::default()
            };
            for (k, span) in spans[first..=last].iter().enumerate() {
                // At most 16 characters of 3 bytes: an offset fits in a byte.
                shape.ends[k] = (span.1 - spans[first].0) as u8;
            }
            out.push((run, shape));
        }
    }
}

/// How many appeals of some texts contain each phrase, and each two phrases together.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// Appeals whose text contains phrase `i` (as a substring).
    pub appeals: Vec<u64>,
    /// `together[i * n + j]`: appeals whose text contains phrases `i` and `j`.
    pub together: Vec<u64>,
}

/// Counts the appeals of `texts` that contain each phrase (and each pair of phrases).
///
/// # Errors
/// When the phrases cannot be searched for (too many to build the automaton).
pub fn containing(texts: &[(&str, u64)], phrases: &[&str]) -> anyhow::Result<Counts> {
    let n = phrases.len();
    let mut counts = Counts {
        appeals: vec![0; n],
        together: vec![0; n * n],
    };
    if phrases.is_empty() {
        return Ok(counts);
    }
    let ac = aho_corasick::AhoCorasick::new(phrases)?;
    let mut seen = vec![false; n];
    let mut found: Vec<usize> = Vec::new();
    for (text, appeals) in texts {
        found.clear();
        for m in ac.find_overlapping_iter(*text) {
            let i = m.pattern().as_usize();
            if !seen[i] {
                seen[i] = true;
                found.push(i);
            }
        }
        for &i in &found {
            seen[i] = false;
            counts.appeals[i] += appeals;
            for &j in &found {
                counts.together[i * n + j] += appeals;
            }
        }
    }
    Ok(counts)
}

/// A keyword with its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword<'a> {
    /// The phrase.
    pub phrase: &'a str,
    /// Phrases found in the same appeals, shown beside it (at most two).
    pub related: Vec<&'a str>,
    /// Appeals of the period whose text contains it.
    pub appeals: u64,
    /// Appeals of the period before whose text contains it.
    pub before: u64,
    /// Its TF-IDF weight: `appeals × (ln((1 + N) / (1 + before)) + 1)`, N the appeals of the
    /// period before.
    pub weight: f64,
}

/// Orders phrases by their weight (then the longer phrase, then the phrase) and keeps `top`,
/// each phrase of the same appeals as one above it listed beside that one.
pub fn rank<'a>(
    phrases: &[&'a str],
    now: &Counts,
    before: &[u64],
    appeals_before: u64,
    top: usize,
) -> Vec<Keyword<'a>> {
    let n = phrases.len();
    let weight = |i: usize| {
        now.appeals[i] as f64 * (((1 + appeals_before) as f64 / (1 + before[i]) as f64).ln() + 1.0)
    };
    let mut order: Vec<usize> = (0..n).filter(|&i| now.appeals[i] > 0).collect();
    order.sort_by(|&a, &b| {
        weight(b)
            .total_cmp(&weight(a))
            .then(phrases[b].chars().count().cmp(&phrases[a].chars().count()))
            .then(phrases[a].cmp(phrases[b]))
    });
    let mut kept: Vec<(usize, Keyword)> = Vec::new();
    for i in order {
        // Both ways: a specific phrase inside a broad word's appeals (楼道内…充电 among 隐患)
        // stays a keyword of its own.
        let same = kept.iter().position(|(k, _)| {
            let larger = now.appeals[i].max(now.appeals[*k]);
            now.together[i * n + k] as f64 >= SAME_APPEALS * larger as f64
        });
        match same {
            Some(at) => {
                let (head, keyword) = &mut kept[at];
                // The longer phrase heads the group (占用公共绿地 before 占用), with its figures.
                if phrases[i].chars().count() > keyword.phrase.chars().count() {
                    let shorter = keyword.phrase;
                    *head = i;
                    keyword.phrase = phrases[i];
                    keyword.appeals = now.appeals[i];
                    keyword.before = before[i];
                    keyword.weight = weight(i);
                    keyword.related.insert(0, shorter);
                } else {
                    keyword.related.push(phrases[i]);
                }
                keyword.related.truncate(2);
            }
            None if kept.len() < top => kept.push((
                i,
                Keyword {
                    phrase: phrases[i],
                    related: Vec::new(),
                    appeals: now.appeals[i],
                    before: before[i],
                    weight: weight(i),
                },
            )),
            None => {}
        }
    }
    kept.into_iter().map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop() -> HashSet<&'static str> {
        [
            "反映", "市民", "问题", "有关", "查处", "希望", "尽快", "存在", "整改", "附近", "来电",
            "部门",
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn segments_that_always_occur_together_become_one_phrase() {
        let texts = [
            (
                "市民反映：楼道内电动自行车违规停放充电，存在火灾隐患，希望尽快整改。",
                40,
            ),
            (
                "来电反映小区楼道内电动自行车违规停放充电，存在火灾隐患。",
                40,
            ),
            ("市民反映：和平路商户占道经营，影响通行。", 30),
            ("反映夜市摊贩占道经营，希望有关部门查处。", 20),
            ("反映工地违规夜间施工，噪音扰民。", 10),
        ];
        let generic: HashSet<&str> = ["违规"].into_iter().collect();
        let found = propose(texts.iter().copied(), &stop(), &generic);
        let words: Vec<&str> = found.iter().map(|f| f.0).collect();
        assert!(words.contains(&"占道经营"), "{words:?}");
        assert!(
            words
                .iter()
                .any(|w| w.contains("电动自行车") && w.contains("充电")),
            "{words:?}"
        );
        for fragment in ["电动", "自行车", "停放", "充电", "违规", "有关", "查处"] {
            assert!(!words.contains(&fragment), "{fragment} in {words:?}");
        }
        assert!(words.contains(&"火灾隐患"), "{words:?}");
        // Counts are appeals, each text once.
        let of = |w: &str| found.iter().find(|f| f.0 == w).map(|f| f.1);
        assert_eq!(of("占道经营"), Some(50));
    }

    #[test]
    fn the_weight_favours_what_is_specific_to_the_period() {
        let phrases = ["占道经营", "电动自行车违规停放充电", "火灾隐患"];
        let texts = [
            ("商户占道经营", 60),
            ("电动自行车违规停放充电，存在火灾隐患", 55),
            ("电动自行车违规停放充电", 5),
        ];
        let now = containing(&texts, &phrases).unwrap();
        assert_eq!(now.appeals, vec![60, 60, 55]);
        assert_eq!(now.together[3 + 2], 55);
        // Both in 60 appeals now; the first was as common before, the second new.
        let ranked = rank(&phrases, &now, &[60, 0, 0], 300, 10);
        assert_eq!(ranked[0].phrase, "电动自行车违规停放充电");
        // 火灾隐患 is in the same appeals: beside it, not a keyword of its own.
        assert_eq!(ranked[0].related, vec!["火灾隐患"]);
        assert_eq!(ranked.len(), 2);
        let expected = 60.0 * ((301.0f64 / 61.0).ln() + 1.0);
        assert!((ranked[1].weight - expected).abs() < 1e-9);
        // A phrase absent now is not a keyword.
        let texts = [("电动自行车违规停放充电", 5)];
        let now = containing(&texts, &phrases).unwrap();
        assert_eq!(rank(&phrases, &now, &[1, 0, 0], 300, 10).len(), 1);
    }

    #[test]
    fn containing_counts_each_appeal_once() {
        let texts = [("占道经营占道经营", 3), ("无关", 5), ("店外占道经营", 2)];
        let c = containing(&texts, &["占道经营", "店外"]).unwrap();
        assert_eq!(c.appeals, vec![5, 2]);
        assert_eq!(c.together, vec![5, 2, 2, 2]);
    }
}
