//! Masking of personal data (个人信息脱敏) before anything is stored.
//!
//! Callers' names and phones become a keyed hash (HMAC-SHA256 with the workspace's secret key),
//! so repeat appeals by the same caller stay detectable while the person is not. Inside free
//! text, ID numbers, phone numbers and names become `[身份证号]`, `[电话]` and `[姓名]`.

use std::borrow::Cow;
use std::io::Read;
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
        if value.is_empty() {
            return None;
        }
        let mut mac = self.mac.clone();
        mac.update(value.as_bytes());
        let out = mac.finalize().into_bytes();
        Some(hex::encode(&out[..16]))
    }

    /// The keyed hash of a caller's name, ignoring spaces.
    pub fn hash_name(&self, name: &str) -> Option<String> {
        let n: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        self.hash(&n).map(|h| format!("n:{h}"))
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
        self.hash(d).map(|h| format!("p:{h}"))
    }
}

/// Common Chinese surnames: a name is only masked by pattern when it starts with one, which
/// keeps ordinary words such as 市民反映 intact.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

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

/// A name introduced by a word such as 来电人/我叫/联系人, or followed by an honorific.
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    let s = SURNAMES;
    Regex::new(&format!(
        concat!(
            r"(来电人|来电者|我叫|我是|本人|名叫|联系人|姓名|市民|居民|业主|群众|当事人|投诉人|举报人)",
            r"([：:\s]*)([{s}][\p{{Han}}]{{1,2}}?)",
            r"(反映|来电|称|表示|投诉|举报|咨询|求助|说|的|家|在|于|住|，|,|。|；|（|\(|、|\s|电话|手机|联系|身份证|现|今|要求|$)",
            r"|([{s}])(先生|女士|师傅|阿姨|大爷|大妈|老师|同志)"
        ),
        s = s
    ))
    .expect("valid name pattern")
});

/// Masks ID numbers, phone numbers and names in free text.
///
/// `known_name` is the caller's own name from the caller column: every occurrence of it is
/// masked too, wherever it stands.
pub fn mask_text<'a>(text: &'a str, known_name: Option<&str>) -> Cow<'a, str> {
    let mut out: Cow<'a, str> = Cow::Borrowed(text);
    if let Some(name) = known_name.map(str::trim).filter(|n| n.chars().count() >= 2) {
        if out.contains(name) {
            out = Cow::Owned(out.replace(name, NAME_MASK));
        }
    }
    if out.bytes().any(|b| b.is_ascii_digit()) {
        if let Cow::Owned(s) = mask_numbers(&out) {
            out = Cow::Owned(s);
        }
    }
    if let Cow::Owned(s) = mask_names(&out) {
        out = Cow::Owned(s);
    }
    out
}

fn mask_numbers(text: &str) -> Cow<'_, str> {
    let mut out = String::new();
    let mut last = 0;
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
        let mask = if digits == 18 || digits == 15 {
            ID_MASK
        } else if digits <= 8 && !near_phone_word(&text[..m.start()]) {
            // A bare 7–8 digit number is only a phone when the text says so.
            continue;
        } else {
            PHONE_MASK
        };
        out.push_str(&text[last..m.start()]);
        out.push_str(mask);
        last = m.end();
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
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

fn mask_names(text: &str) -> Cow<'_, str> {
    if !NAME.is_match(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        NAME.replace_all(text, |c: &regex::Captures| {
            if let Some(honorific) = c.get(6) {
                format!("{NAME_MASK}{}", honorific.as_str())
            } else {
                format!("{}{}{NAME_MASK}{}", &c[1], &c[2], &c[4])
            }
        })
        .into_owned(),
    )
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
