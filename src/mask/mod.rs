//! Masking of personal data (个人信息脱敏) before anything is stored.
//!
//! Callers' names and phones become a keyed hash (HMAC-SHA256 with the workspace's secret key),
//! so repeat appeals by the same caller stay detectable while the person is not. Inside free
//! text, ID numbers, phone numbers, vehicle plates and names become `[身份证号]`, `[电话]`,
//! `[车牌]` and `[姓名]`: the caller's and anyone else's (`names`), and every plate (`plates`).
//! `crate::evaluate::masking` measures the finders on the hand-labelled set in `data/eval/`.

pub mod names;
pub mod plates;

use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::LazyLock;

use anyhow::{bail, Context, Result};
use hmac::{Hmac, KeyInit, Mac};
use regex::Regex;
use sha2::Sha256;

/// Replacement for an 18- or 15-digit resident ID number.
pub const ID_MASK: &str = "[身份证号]";
/// Replacement for a mobile or landline number.
pub const PHONE_MASK: &str = "[电话]";
/// Replacement for a person's name.
pub const NAME_MASK: &str = "[姓名]";
/// Replacement for a vehicle plate.
pub const PLATE_MASK: &str = "[车牌]";

/// The workspace's secret key for the keyed hash; never stored in the warehouse or in git.
#[derive(Clone)]
pub struct MaskKey {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for MaskKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MaskKey(..)")
    }
}

impl MaskKey {
    /// Builds a key from its hex text (at least 32 hex digits).
    ///
    /// # Errors
    /// When the text is not hex or too short.
    pub fn from_hex(text: &str) -> Result<MaskKey> {
        let bytes = hex::decode(text.trim()).context("the masking key is not hexadecimal")?;
        if bytes.len() < 16 {
            bail!("the masking key is too short: use at least 32 hex digits (16 bytes)");
        }
        let mac = Hmac::<Sha256>::new_from_slice(&bytes).context("unusable masking key")?;
        Ok(MaskKey { mac })
    }

    /// A key for another use, derived from this one (the keyed hash of the use's name), so
    /// that a workspace keeps one secret: the 督办台账's log is signed with one.
    pub fn derive(&self, purpose: &str) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// Loads the key from the environment variable `env` if set, else from `file`.
    ///
    /// # Errors
    /// When neither holds a usable key; the message says how to create one.
    pub fn load(env: &str, file: &Path) -> Result<MaskKey> {
        if let Ok(text) = std::env::var(env) {
            return MaskKey::from_hex(&text)
                .with_context(|| format!("bad masking key in the environment variable {env}"));
        }
        let text = std::fs::read_to_string(file).with_context(|| {
            format!(
                "no masking key: {} is missing and {env} is not set.\n\
                 `rexian init` creates a key; if this workspace already holds data, restore \
                 the key from your backup instead, or callers will look new.",
                file.display()
            )
        })?;
        MaskKey::from_hex(&text).with_context(|| format!("bad masking key in {}", file.display()))
    }

    /// Creates a new random key file (32 bytes from the system's random source).
    ///
    /// # Errors
    /// When the random source or the file cannot be used.
    pub fn create_file(path: &Path) -> Result<()> {
        let mut bytes = [0u8; 32];
        std::fs::File::open("/dev/urandom")
            .and_then(|mut f| f.read_exact(&mut bytes))
            .context("cannot read /dev/urandom to make a masking key")?;
        crate::fsutil::write_atomic(path, format!("{}\n", hex::encode(bytes)).as_bytes())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        Ok(())
    }

    /// The keyed hash of a value, as 32 hex digits; `None` for an empty value.
    pub fn hash(&self, value: &str) -> Option<String> {
        self.hash_after("", value)
    }

    /// [`MaskKey::hash`] written after `prefix`, in one string (a load hashes two values of
    /// every row).
    fn hash_after(&self, prefix: &str, value: &str) -> Option<String> {
        if value.is_empty() {
            return None;
        }
        let mut mac = self.mac.clone();
        mac.update(value.as_bytes());
        let out = mac.finalize().into_bytes();
        Some(hex_after(prefix, &out[..16]))
    }

    /// The keyed hash of a caller's name, ignoring spaces.
    pub fn hash_name(&self, name: &str) -> Option<String> {
        if name.contains(char::is_whitespace) {
            let n: String = name.chars().filter(|c| !c.is_whitespace()).collect();
            return self.hash_after("n:", &n);
        }
        self.hash_after("n:", name)
    }

    /// The keyed hash of a phone number, ignoring punctuation and a +86 prefix.
    pub fn hash_phone(&self, phone: &str) -> Option<String> {
        let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
        let d = digits
            .strip_prefix("0086")
            .or_else(|| {
                if digits.len() == 13 {
                    digits.strip_prefix("86")
                } else {
                    None
                }
            })
            .unwrap_or(&digits);
        self.hash_after("p:", d)
    }
}

/// `prefix` and then `bytes` in lower-case hex, in one allocation: `hex::encode` builds its
/// string a character at a time, and a load writes three digests a row (the caller's name,
/// the phone, the row's state).
pub fn hex_after(prefix: &str, bytes: &[u8]) -> String {
    let mut buf = [0u8; 64];
    let Some(digits) = buf.get_mut(..2 * bytes.len()) else {
        return format!("{prefix}{}", hex::encode(bytes));
    };
    // The slice is exactly twice the input, the only length encode_to_slice takes.
    let _ = hex::encode_to_slice(bytes, digits);
    let mut out = String::with_capacity(prefix.len() + digits.len());
    out.push_str(prefix);
    out.extend(digits.iter().map(|&d| char::from(d)));
    out
}

/// Digits that look like an ID number or a phone, bounded by non-digits (checked by hand,
/// since the regex engine has no look-around).
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]", // ID (18)
        r"|[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}", // old ID (15)
        r"|(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}",             // mobile
        r"|0\d{2,3}[- ]?\d{7,8}",                                    // landline with area code
        r"|\d{7,8}",                                                 // bare local number
    ))
    .expect("valid number pattern")
});

/// What a span of personal data is, and so what replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Id,
    Phone,
    Plate,
    Name,
}

impl Kind {
    fn mask(self) -> &'static str {
        match self {
            Kind::Id => ID_MASK,
            Kind::Phone => PHONE_MASK,
            Kind::Plate => PLATE_MASK,
            Kind::Name => NAME_MASK,
        }
    }
}

/// Masks ID numbers, phone numbers, vehicle plates and names in free text.
///
/// `known_name` is the caller's own name from the caller column: every occurrence of it is
/// masked too, wherever it stands.
pub fn mask_text<'a>(text: &'a str, known_name: Option<&str>) -> Cow<'a, str> {
    mask_with(text, known_name, names::Finders::All)
}

/// [`mask_text`] with a choice of name finders (the evaluation compares them).
pub fn mask_with<'a>(
    text: &'a str,
    known_name: Option<&str>,
    finders: names::Finders,
) -> Cow<'a, str> {
    let mut spans: Vec<(Range<usize>, Kind)> = Vec::new();
    if text.bytes().any(|b| b.is_ascii_digit()) {
        spans.extend(plates::find(text).into_iter().map(|r| (r, Kind::Plate)));
        number_spans(text, &mut spans);
    }
    spans.extend(
        names::find(text, known_name, finders)
            .into_iter()
            .map(|r| (r, Kind::Name)),
    );
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    // Earlier first; of two that start together the longer; a span inside one already
    // replaced is dropped, one that overlaps it is cut to what is left.
    spans.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    for (r, kind) in spans {
        if r.end <= last {
            continue;
        }
        out.push_str(&text[last..r.start.max(last)]);
        out.push_str(kind.mask());
        last = r.end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

fn number_spans(text: &str, spans: &mut Vec<(Range<usize>, Kind)>) {
    for m in NUMBER.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        // A match inside a longer run of digits (an amount, a ticket number) is not a phone.
        if before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit()) {
            continue;
        }
        let s = m.as_str();
        let digits = s
            .bytes()
            .filter(|b| b.is_ascii_digit() || *b == b'X' || *b == b'x')
            .count();
        let kind = if digits == 18 || digits == 15 {
            Kind::Id
        } else if digits <= 8 && !near_phone_word(&text[..m.start()]) {
            // A bare 7–8 digit number is only a phone when the text says so.
            continue;
        } else {
            Kind::Phone
        };
        spans.push((m.range(), kind));
    }
}

fn near_phone_word(before: &str) -> bool {
    let tail: String = before
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    ["电话", "手机", "号码", "联系", "座机", "来电"]
        .iter()
        .any(|w| tail.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_masked_but_amounts_kept() {
        let t = "来电人电话13812345678，身份证号370811199001011234，座机0537-2345678，罚款5000元，工单2024030500123";
        let m = mask_text(t, None);
        assert_eq!(
            m,
            "来电人电话[电话]，身份证号[身份证号]，座机[电话]，罚款5000元，工单2024030500123"
        );
        assert_eq!(
            mask_text("手机 138 1234 5678 和 +86-13912345678", None),
            "手机 [电话] 和 [电话]"
        );
        assert_eq!(mask_text("电话6651234请回电", None), "电话[电话]请回电");
        assert_eq!(mask_text("损失12345678元", None), "损失12345678元");
        assert_eq!(
            mask_text("身份证37081119900101123X。", None),
            "身份证[身份证号]。"
        );
    }

    #[test]
    fn names_are_masked_in_context() {
        assert_eq!(
            mask_text("来电人王建国反映小区噪音", None),
            "来电人[姓名]反映小区噪音"
        );
        assert_eq!(
            mask_text("我叫李娜，住在兖州", None),
            "我叫[姓名]，住在兖州"
        );
        assert_eq!(
            mask_text("联系人：赵敏，电话见上", None),
            "联系人：[姓名]，电话见上"
        );
        assert_eq!(mask_text("张先生称", None), "[姓名]先生称");
        assert_eq!(mask_text("市民反映路灯不亮", None), "市民反映路灯不亮");
        assert_eq!(
            mask_text("欧阳娜娜家门口有垃圾", Some("欧阳娜娜")),
            "[姓名]家门口有垃圾"
        );
    }

    #[test]
    fn third_parties_and_plates_are_masked_too() {
        assert_eq!(
            mask_text(
                "出租车司机陈志强拒载，车牌鲁H12345，来电人王芳要求查处",
                Some("王芳")
            ),
            "出租车司机[姓名]拒载，车牌[车牌]，来电人[姓名]要求查处"
        );
        assert_eq!(
            mask_text("其邻居张秀英家装修，电话13812345678", None),
            "其邻居[姓名]家装修，电话[电话]"
        );
        // Already anonymised, or not a person: unchanged, and not copied.
        for text in [
            "商户王某占道经营",
            "来电反映王庄村道路不平",
            "咨询鲁A级景区评定",
        ] {
            assert!(matches!(mask_text(text, None), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn masking_twice_changes_nothing_more() {
        for text in [
            "出租车司机陈志强拒载，车牌鲁H12345",
            "来电人王建国反映，联系电话13812345678，身份证号370811199001011234",
            "张先生称邻居李桂兰家漏水",
        ] {
            let once = mask_text(text, None).into_owned();
            assert_eq!(mask_text(&once, None), once, "{text}");
        }
    }

    #[test]
    fn hex_is_the_hex_crates() {
        let bytes: Vec<u8> = (0..=255).collect();
        assert_eq!(hex_after("", &bytes), hex::encode(&bytes));
        assert_eq!(hex_after("n:", &[0x0f, 0xa0]), "n:0fa0");
    }

    #[test]
    fn hashes_are_keyed_and_normalised() {
        let k1 = MaskKey::from_hex(&"11".repeat(32)).unwrap();
        let k2 = MaskKey::from_hex(&"22".repeat(32)).unwrap();
        assert_eq!(
            k1.hash_phone("138-1234-5678"),
            k1.hash_phone("+86 13812345678")
        );
        assert_ne!(k1.hash_phone("13812345678"), k2.hash_phone("13812345678"));
        assert_eq!(k1.hash_name(" 王 建国"), k1.hash_name("王建国"));
        assert_eq!(k1.hash_name(""), None);
        assert!(MaskKey::from_hex("abcd").is_err());
    }
}
