//! What the classifier reads of an appeal: hashed character n-grams (one to three characters)
//! of its title and content, the levels of its category, and its 承办单位 as one token. The
//! hash is FNV-1a, written out here so that a model file keeps meaning the same features
//! whatever the crates' versions: changing anything in this file changes
//! [`FEATURES_VERSION`], and models of another version are refused.

/// The version of the features; a model records it and is refused under another.
pub const FEATURES_VERSION: u32 = 1;

/// How many characters of the content are read (the first ones say what it is about, and an
/// unbounded text would make one appeal cost as much as a hundred).
const CONTENT_CHARS: usize = 240;

/// The text of one appeal the classifier reads.
#[derive(Debug, Clone, Default)]
pub struct Text<'a> {
    /// 诉求分类, levels joined with `/`.
    pub category: &'a str,
    /// 诉求标题.
    pub title: &'a str,
    /// 诉求内容.
    pub content: &'a str,
    /// 承办单位.
    pub department: &'a str,
}

/// The text of one appeal, owned: for the rows a training or a refresh reads.
#[derive(Debug, Clone, Default)]
pub struct Appeal {
    /// 诉求分类.
    pub category: String,
    /// 诉求标题.
    pub title: String,
    /// 诉求内容.
    pub content: String,
    /// 承办单位.
    pub department: String,
}

impl Appeal {
    /// Reads it from four columns of a query's row: category, title, content, department,
    /// the first at `at`.
    ///
    /// # Errors
    /// When a column is missing or not text.
    pub fn read(row: &duckdb::Row<'_>, at: usize) -> duckdb::Result<Appeal> {
        Ok(Appeal {
            category: row.get(at)?,
            title: row.get(at + 1)?,
            content: row.get(at + 2)?,
            department: row.get(at + 3)?,
        })
    }

    /// What the classifier reads of it.
    pub fn text(&self) -> Text<'_> {
        Text {
            category: &self.category,
            title: &self.title,
            content: &self.content,
            department: &self.department,
        }
    }
}

/// FNV-1a over the bytes of `parts`, with `kind` first so that a word and a category of the
/// same characters are different features.
fn fnv(kind: u8, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    eat(kind);
    for p in parts {
        for &b in *p {
            eat(b);
        }
        eat(0xff);
    }
    h
}

/// Whether a character carries meaning (not a space or a punctuation mark).
fn meaningful(c: char) -> bool {
    c.is_alphanumeric()
}

/// The features of `text`: bucket numbers below `buckets`, each once, sorted.
pub fn extract(text: &Text<'_>, buckets: u32, out: &mut Vec<u32>) {
    out.clear();
    let bucket = |h: u64| (h % u64::from(buckets)) as u32;
    // Title then content, as one run of characters (a title is a short content).
    let chars: Vec<char> = text
        .title
        .chars()
        .chain(std::iter::once(' '))
        .chain(text.content.chars().take(CONTENT_CHARS))
        .map(|c| if meaningful(c) { c } else { ' ' })
        .collect();
    let mut buf = [0u8; 12];
    for i in 0..chars.len() {
        for n in 1..=3 {
            let Some(gram) = chars.get(i..i + n) else {
                break;
            };
            if gram.contains(&' ') {
                break;
            }
            let mut len = 0;
            for c in gram {
                len += c.encode_utf8(&mut buf[len..]).len();
            }
            out.push(bucket(fnv(n as u8, &[&buf[..len]])));
        }
    }
    let mut path: Vec<&[u8]> = Vec::new();
    for level in text
        .category
        .split('/')
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        path.push(level.as_bytes());
        out.push(bucket(fnv(b'c', &path)));
    }
    if !text.department.trim().is_empty() {
        out.push(bucket(fnv(b'd', &[text.department.trim().as_bytes()])));
    }
    out.sort_unstable();
    out.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(title: &str, content: &str) -> Vec<u32> {
        let mut out = Vec::new();
        extract(
            &Text {
                title,
                content,
                ..Text::default()
            },
            1 << 20,
            &mut out,
        );
        out
    }

    #[test]
    fn characters_pairs_and_triples_each_count_once() {
        // 占, 道, 经, 营; 占道, 道经, 经营; 占道经, 道经营: nine, the repeated 占道 folded.
        assert_eq!(features("", "占道经营，占道").len(), 9);
        // Punctuation and spaces are not features and break the n-grams.
        assert_eq!(features("", "占道"), features("", "，占道。"));
        // The same text always gives the same buckets (a model file depends on it).
        assert_eq!(features("", "占道经营"), features("", "占道经营"));
        assert_eq!(
            fnv(1, &["占".as_bytes()]),
            fnv(1, &["占".as_bytes()]),
            "FNV-1a is fixed"
        );
        assert_eq!(fnv(0, &[]), 0xaf63_bd4c_8601_b7df);
    }

    #[test]
    fn category_levels_and_department_are_their_own_features() {
        let mut a = Vec::new();
        extract(
            &Text {
                category: "城乡建设/城市管理/占道经营",
                department: "任城区综合行政执法局",
                ..Text::default()
            },
            1 << 20,
            &mut a,
        );
        assert_eq!(a.len(), 4);
        let mut b = Vec::new();
        extract(
            &Text {
                title: "任城区综合行政执法局",
                ..Text::default()
            },
            1 << 20,
            &mut b,
        );
        assert!(a.iter().all(|f| !b.contains(f)));
    }
}
