//! Finding people's names in free text (姓名识别), so that they can be masked as `[姓名]`.
//!
//! Three finders, each cheaper than the next is precise:
//! 1. **Introduced names**: a word that introduces the caller (来电人, 我叫, 联系人, 市民…)
//!    followed by a name, or a surname followed by an honorific (张先生). These are the rules
//!    rexian had first, kept as they were so that nothing they caught is let through now.
//! 2. **Third parties by role**: a word for a person's role or relation (老板, 司机, 邻居,
//!    执法队员, 房东, 物业经理…) followed by a surname and one or two given-name characters
//!    (商户老板王建国, 其邻居张秀英家). Names joined to one found by 、/和/与 are names too.
//! 3. **Full names standing alone**: a common surname and two given-name characters that stand
//!    where a person does in the sentence: after a clause boundary or a word such as 与/被/投诉,
//!    and before a word such as 家/在/称/拒载 (张秀英家楼上漏水, 投诉陈志强拒载).
//!
//! What is never masked: a surname with 某/某某 (王某, 李某某: already anonymised by the
//! operator), a candidate followed by a place suffix (王庄村, 张黄镇, 梁山县), and the common
//! words in `COMMON_WORDS` (文明, 高峰, 单方…). The finders read characters and word lists
//! only, no segmentation model, so that masking a million rows costs well under a second of
//! CPU; `data/eval/labelled_appeals.csv` measures what they catch (`crate::evaluate::masking`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Common Chinese surnames: a name is only masked by pattern when it starts with one, which
/// keeps ordinary words such as 市民反映 intact.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/// The hundred most common surnames: the only ones a name standing alone (finder 3) may start
/// with, since rarer surnames (和, 时, 明, 全…) are far more often ordinary words.
const COMMON_SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤";

/// Two-character surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙",
    "宇文", "司徒", "端木", "独孤", "南宫", "西门", "轩辕", "呼延",
];

/// Characters common in given names. Left out on purpose: characters that usually begin the
/// word after a name (家, 在, 的, 长, 经, 一, 不…) and the commonest place suffixes (村, 庄,
/// 城, 街…), so that 王伟家 stays 王伟 + 家 and 金城街道 is not a person.
const GIVEN_CHARS: &str = "建国秀英志强明华丽芳军伟敏静磊洋勇艳杰娟涛超刚平辉鹏飞玲桂兰霞萍红梅凤玉珍云海波斌宇浩鑫凯俊峰雪琳颖婷倩慧晶晓燕丹宁欣怡佳思雨嘉子文武亮坤永林成晨旭阳东春秋冬庆福禄寿喜贵荣昌盛兴旺德仁义礼智信忠孝良善淑惠贤珊珠琴瑶瑾琪璐蕾蓉莉莲荷菊香雷伦爽诺然萱梓芝旺富彩冬天霖琛睿轩逸航哲楷蔚婕妮娣姣岚芬芝萱薇娜娇媛婉婧妍姗娅莹瑜瑞祥麟龙虎彪豪雄威振宏博渊源泽润涵瀚洪淼清光耀炜烨灿焕晖晴朗昊昕曦柳松柏桦楠梓桐彬杉森栋梁根树立新邦定远达胜兵卫保守正直毅坚恒久升腾跃进锋锐钢铁铭锦钰金银石岩峻岭山川河江湖泉溪滨丰收粮田耕民生力勤俭朴实仪容彩霓虹月星辰日元亨乐康健安泰和谐美好爱诚宝翠叶花草菲卿君友朋宾洁澄悦欢笑颜小大二三四五六七八九十老少伯仲叔季玮琦璇璟琼瑛珂珏琰瑄铮锋镇钧铎鸣鹤鹰凤凰雁燕鸿鹏锡炎焱鑫淑贞静娴雅茜蓓蕊芸茹萍薇蔚芮苗茂盛秀丰年岁顺利通发财富";

/// Words for a person's role or relation that come before a third party's name (finder 2).
/// Each that ends right before a surname is tried (其母亲 holds both 其母 and 母亲).
const ROLE_CUES: &[&str] = &[
    "老板娘",
    "老板",
    "店主",
    "摊主",
    "摊贩",
    "商户",
    "商家",
    "店家",
    "业户",
    "个体户",
    "经营者",
    "负责人",
    "法定代表人",
    "法人",
    "厂长",
    "站主",
    "场主",
    "园主",
    "矿主",
    "司机",
    "驾驶员",
    "车主",
    "乘客",
    "骑手",
    "快递员",
    "外卖员",
    "师傅",
    "教练",
    "邻居",
    "对门",
    "楼上住户",
    "楼下住户",
    "住户",
    "房东",
    "租户",
    "房客",
    "物业经理",
    "项目经理",
    "经理",
    "保洁员",
    "保安",
    "安装工",
    "维修工",
    "工作人员",
    "执法人员",
    "执法队员",
    "城管队员",
    "队员",
    "协管员",
    "民警",
    "辅警",
    "网格员",
    "老师",
    "校长",
    "医生",
    "护士",
    "同事",
    "丈夫",
    "妻子",
    "爱人",
    "老公",
    "老婆",
    "儿子",
    "女儿",
    "父亲",
    "母亲",
    "婆婆",
    "公公",
    "岳父",
    "岳母",
    "小叔子",
    "弟弟",
    "哥哥",
    "姐姐",
    "妹妹",
    "孙子",
    "孙女",
    "亲戚",
    "朋友",
    "室友",
    "村民",
    "村支书",
    "支书",
    "村主任",
    "主任",
    "队长",
    "科长",
    "所长",
    "站长",
    "局长",
    "书记",
    "店员",
    "员工",
    "工人",
    "包工头",
    "工头",
    "承包人",
    "承包商",
    "项目负责人",
    "业务员",
    "销售员",
    "推销员",
    "中介",
    "厨师",
    "会计",
    "名叫",
    "叫做",
    "姓名为",
    "养殖户",
    "养殖场老板",
    "种植户",
    "小贩",
    "其母",
    "其父",
    "其妻",
    "其夫",
    "网管",
    "门卫",
    "导游",
    "保姆",
    "月嫂",
    "管家",
    "主播",
    "客服",
];

/// Last characters of words for a person's role that the list above does not hold (售票员,
/// 园长, 美容师, 电工, 鱼贩, 驾驶人): a surname right after one is cued as after a role word.
/// Kinship (表哥, 堂姐, 婶, 舅), customers and tenants (租客, 顾客), households and firms
/// (农户, 开发商), advisers (顾问) end like one too.
const ROLE_SUFFIXES: &str = "员长师主工贩人嫂姆卫管任哥姐弟妹爷叔姨舅婶客户商问友东";

/// Surnames that are far more often ordinary words (车, 路, 时, 全…): not taken as the start
/// of a name after a mere role-like ending (客车超员, 住户全部).
const WORDLIKE_SURNAMES: &str = "车路时和全应成安于向连宁单关商查沙池麻苑边师古司简景席米党";

/// Words a name standing alone (finder 3) may come right after.
const LEFT_WORDS: &[&str] = &[
    "与", "和", "跟", "同", "及", "被", "让", "叫", "找", "向", "对", "给", "由", "是", "称", "但",
    "在", "把", "将", "到", "或", "投诉", "举报", "反映", "告诉", "联系", "起诉", "状告", "其与",
    "其和", "以及", "或者", "发现", "看到", "遭到", "受到", "要求", "希望", "督促", "责令", "查处",
    "调查", "核实", "协调", "委托", "雇佣", "帮助", "得知", "听说",
];

/// Words a name standing alone (finder 3) may come right before.
const RIGHT_WORDS: &[&str] = &[
    "家", "在", "与", "和", "及", "跟", "的", "称", "说", "讲", "表示", "拒", "殴", "打", "骂",
    "经营", "开", "私", "无", "长期", "多次", "一直", "经常", "常", "等", "是", "因", "借", "不",
    "未", "将", "把", "对", "向", "于", "负责", "夫妇", "一家", "本人", "所", "现", "曾", "又",
    "还", "也", "态度", "驾驶", "醉酒", "强行", "威胁", "辱骂", "推", "欠", "拖欠", "承包", "占用",
    "占", "私自", "擅自", "违规", "违法", "非法", "拒绝", "拒不", "涉嫌", "恶意", "故意", "无证",
    "未经", "利用", "伙同", "带领", "组织", "雇", "强迫", "收取", "索要", "搭建", "出租", "销售",
    "售卖", "扣押", "克扣", "欺骗", "诈骗", "骗", "恐吓", "骚扰", "冒充", "租用", "开设", "霸占",
    "侵占", "阻挠", "阻拦", "堵", "砸", "偷",
];

/// Characters that make what comes before them a place, not a person (王庄村, 张黄镇).
const PLACE_SUFFIXES: &str =
    "村庄镇乡街路区县市屯营楼桥巷里寨集店铺厂场园湖河山港湾岗坡沟洼台寺庙站";

/// Ordinary words that begin with a surname and a given-name character: never a name.
const COMMON_WORDS: &[&str] = &[
    "文明",
    "和平",
    "和气",
    "和谐",
    "明知",
    "明明",
    "明显",
    "明确",
    "明天",
    "明年",
    "常年",
    "时常",
    "全程",
    "单方",
    "毕业",
    "宁愿",
    "万一",
    "于是",
    "尚未",
    "应当",
    "方便",
    "方式",
    "白天",
    "连续",
    "关于",
    "何时",
    "何况",
    "严重",
    "严格",
    "任意",
    "任何",
    "黄金",
    "江湖",
    "高速",
    "高温",
    "高峰",
    "高新",
    "高中",
    "高大",
    "安静",
    "安心",
    "安全",
    "康复",
    "易燃",
    "林业",
    "程序",
    "包装",
    "顾客",
    "向前",
    "向东",
    "向西",
    "向南",
    "向北",
    "向上",
    "余额",
    "方向",
    "金额",
    "石子",
    "马上",
    "钱财",
    "华丽",
    "梁山",
    "金乡",
    "邹城",
    "曲阜",
    "汶上",
    "鱼台",
    "微山",
    "嘉祥",
    "泗水",
    "兖州",
    "任城",
    "黄河",
    "江北",
    "江南",
    "万元",
    "千元",
    "周末",
    "周边",
    "周围",
    "周一",
    "周二",
    "周三",
    "周四",
    "周五",
    "周六",
    "周日",
    "周年",
    "周期",
    "秦汉",
    "孔子",
    "孟子",
    "颜回",
    "毛巾",
    "毛病",
    "钟表",
    "龙头",
    "龙虾",
    "朱红",
    "杨树",
    "柳树",
    "李子",
    "田间",
    "石桥",
    "黎明",
    "谢谢",
    "夏天",
    "夏季",
    "冬天",
    "秋天",
    "春天",
    "春节",
    "史上",
    "解放",
    "解决",
    "车辆",
    "路灯",
    "路面",
    "路口",
    "路边",
    "王府",
    "张贴",
    "陈列",
    "成功",
    "成立",
    "成本",
    "成年",
    "成绩",
    "平安",
    "平时",
    "万达",
    "苏宁",
    "华为",
    "潘家",
    "蒋家",
    "罗马",
    "邓小平",
    "毛泽东",
    "孙中山",
];

/// Honorifics that follow a bare surname (张先生): the old rule masks the surname.
pub const HONORIFICS: &[&str] = &[
    "先生", "女士", "师傅", "阿姨", "大爷", "大妈", "老师", "同志",
];

/// A name introduced by a word such as 来电人/我叫/联系人, or followed by an honorific
/// (finder 1).
static INTRODUCED: LazyLock<Regex> = LazyLock::new(|| {
    let s = SURNAMES;
    Regex::new(&format!(
        concat!(
            r"(来电人|来电者|我叫|我是|本人|名叫|联系人|姓名|市民|居民|业主|群众|当事人|投诉人|举报人)",
            r"([：:\s]*)([{s}][\p{{Han}}]{{1,2}}?)",
            r"(反映|来电|称|表示|投诉|举报|咨询|求助|说|的|家|在|于|住|，|,|。|；|（|\(|、|\s|电话|手机|联系|身份证|现|今|要求|$)",
            r"|([{s}])({h})"
        ),
        s = s,
        h = HONORIFICS.join("|"),
    ))
    .expect("valid name pattern")
});

/// A set of characters of the CJK Unified Ideographs block as a bitmap: the finders look up
/// most characters of every text, and a `str::contains` would scan the whole list each time.
struct CharSet(Box<[u64; CharSet::WORDS]>);

impl CharSet {
    const FIRST: u32 = 0x4E00;
    const LEN: usize = 0x9FFF - 0x4E00 + 1;
    const WORDS: usize = CharSet::LEN.div_ceil(64);

    fn new(chars: &str) -> CharSet {
        let mut bits = Box::new([0u64; CharSet::WORDS]);
        for c in chars.chars() {
            let i = (c as u32 - CharSet::FIRST) as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
        CharSet(bits)
    }

    fn contains(&self, c: char) -> bool {
        let i = (c as u32).wrapping_sub(CharSet::FIRST) as usize;
        i < CharSet::LEN && self.0[i / 64] >> (i % 64) & 1 == 1
    }
}

static SURNAME: LazyLock<CharSet> = LazyLock::new(|| CharSet::new(SURNAMES));
static COMMON_SURNAME: LazyLock<CharSet> = LazyLock::new(|| CharSet::new(COMMON_SURNAMES));
static GIVEN: LazyLock<CharSet> = LazyLock::new(|| CharSet::new(GIVEN_CHARS));
static WORDLIKE_SURNAME: LazyLock<CharSet> = LazyLock::new(|| CharSet::new(WORDLIKE_SURNAMES));
static ROLE_SUFFIX: LazyLock<CharSet> = LazyLock::new(|| CharSet::new(ROLE_SUFFIXES));
static PLACE_SUFFIX: LazyLock<CharSet> = LazyLock::new(|| CharSet::new(PLACE_SUFFIXES));

/// A list of words that a text may start with (or end with), indexed by that character, so
/// that only the few words that could stand at a place are compared: the finders test a list
/// at almost every surname of every text, and comparing whole lists was a third of the
/// masking's time.
struct Words {
    /// Whether the words are looked for at the end of a text (else at its start).
    at_end: bool,
    by_char: rustc_hash::FxHashMap<char, Vec<&'static str>>,
}

impl Words {
    /// Words to find at the start of a text.
    fn prefixes(words: &[&'static str]) -> Words {
        Words::new(words, false)
    }

    /// Words to find at the end of a text.
    fn suffixes(words: &[&'static str]) -> Words {
        Words::new(words, true)
    }

    fn new(words: &[&'static str], at_end: bool) -> Words {
        let mut by_char: rustc_hash::FxHashMap<char, Vec<&'static str>> = Default::default();
        for w in words {
            let key = if at_end {
                w.chars().next_back()
            } else {
                w.chars().next()
            };
            if let Some(c) = key {
                by_char.entry(c).or_default().push(w);
            }
        }
        Words { at_end, by_char }
    }

    /// The words of the list that `text` starts with (or ends with), in list order.
    fn found<'t>(&'t self, text: &'t str) -> impl Iterator<Item = &'static str> + 't {
        let key = if self.at_end {
            text.chars().next_back()
        } else {
            text.chars().next()
        };
        key.and_then(|c| self.by_char.get(&c))
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(move |w| {
                if self.at_end {
                    text.ends_with(w)
                } else {
                    text.starts_with(w)
                }
            })
    }
}

static CUES: LazyLock<Words> = LazyLock::new(|| Words::suffixes(ROLE_CUES));
static LEFT: LazyLock<Words> = LazyLock::new(|| Words::suffixes(LEFT_WORDS));
static RIGHT: LazyLock<Words> = LazyLock::new(|| Words::prefixes(RIGHT_WORDS));
static COMMON: LazyLock<Words> = LazyLock::new(|| Words::prefixes(COMMON_WORDS));
static COMPOUND: LazyLock<Words> = LazyLock::new(|| Words::prefixes(COMPOUND_SURNAMES));

/// Which of the finders to run: `Introduced` alone is what rexian masked before third
/// parties' names were found, kept to measure the change against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finders {
    /// Finder 1 only: names after an introducing word, surnames before an honorific.
    Introduced,
    /// All three finders (what the load uses).
    All,
}

/// The byte ranges of the names in `text`, sorted and not overlapping.
///
/// `known_name` is the caller's own name from the caller column: each occurrence of it is a
/// name wherever it stands.
pub fn find(text: &str, known_name: Option<&str>, finders: Finders) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    if let Some(name) = known_name.map(str::trim).filter(|n| n.chars().count() >= 2) {
        spans.extend(text.match_indices(name).map(|(i, n)| i..i + n.len()));
    }
    introduced(text, &mut spans);
    if finders == Finders::All {
        third_parties(text, &mut spans);
    }
    merge(spans)
}

fn introduced(text: &str, spans: &mut Vec<Range<usize>>) {
    for c in INTRODUCED.captures_iter(text) {
        if let Some(m) = c.get(3).or_else(|| c.get(5)) {
            spans.push(m.range());
        }
    }
}

/// Finders 2 and 3 in one pass over the characters: at each surname, a name after a role
/// word, or else a full name standing alone; then the names joined to it (高志刚与马国栋,
/// 钱国强、孙海龙).
fn third_parties(text: &str, spans: &mut Vec<Range<usize>>) {
    let mut prev: Option<char> = None;
    let mut next_free = 0;
    for (i, c) in text.char_indices() {
        let skip = i < next_free;
        let p = prev.replace(c);
        if skip || !SURNAME.contains(c) {
            continue;
        }
        let before = &text[..i];
        let found = if after_role(before, c) {
            name_at(text, i, Strength::Cued)
        } else {
            None
        };
        let found = found.or_else(|| {
            (COMMON_SURNAME.contains(c) && left_boundary(before, p))
                .then(|| name_at(text, i, Strength::Alone))
                .flatten()
        });
        let Some(mut name) = found else {
            continue;
        };
        loop {
            let end = name.end;
            spans.push(name);
            next_free = end;
            let joined = match text[end..].chars().next() {
                Some(j @ ('、' | '和' | '与' | '及' | '跟')) => {
                    name_at(text, end + j.len_utf8(), Strength::Cued)
                }
                _ => None,
            };
            match joined {
                Some(n) => name = n,
                None => break,
            }
        }
    }
}

/// Whether `before` ends with a word for a person's role (老板, 司机, 售票员…), maybe followed
/// by a colon or a space (老板：王建国), so that the surname `next` may start a name. After a
/// mere role-like ending (客, 户…) a surname that is far more often a word of its own (客车,
/// 用户全部) does not.
fn after_role(before: &str, next: char) -> bool {
    let before = before.trim_end_matches(['：', ':', ' ', '　']);
    let Some(last) = before.chars().next_back() else {
        return false;
    };
    (ROLE_SUFFIX.contains(last) && !WORDLIKE_SURNAME.contains(next))
        || CUES.found(before).next().is_some()
}

fn left_boundary(before: &str, prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) if !is_han(c) => true,
        Some(_) => LEFT.found(before).next().is_some(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// After a role word: a surname and one or two given-name characters.
    Cued,
    /// Nothing introduces it: a common surname, two given-name characters, and a word after
    /// it that a person does.
    Alone,
}

/// The name starting at byte `at`, if one does.
fn name_at(text: &str, at: usize, strength: Strength) -> Option<Range<usize>> {
    let rest = &text[at..];
    let surname_len = match COMPOUND.found(rest).next() {
        Some(s) if strength == Strength::Cued => s.len(),
        _ => {
            let c = rest.chars().next()?;
            let known = match strength {
                Strength::Cued => SURNAME.contains(c),
                Strength::Alone => COMMON_SURNAME.contains(c),
            };
            if !known {
                return None;
            }
            c.len_utf8()
        }
    };
    let mut given = rest[surname_len..]
        .char_indices()
        .map(|(i, c)| (surname_len + i, c));
    let (_, g1) = given.next()?;
    if g1 == '某' || !GIVEN.contains(g1) {
        return None;
    }
    let two = surname_len + g1.len_utf8();
    let three = match given.next() {
        Some((i, g2)) if GIVEN.contains(g2) => Some(i + g2.len_utf8()),
        _ => None,
    };
    let fits = |end: usize| {
        let after = &rest[end..];
        !after.starts_with(|c: char| PLACE_SUFFIX.contains(c))
            && !COMMON.found(rest).any(|w| w.len() <= end)
            && COMMON.found(&rest[surname_len..]).next().is_none()
    };
    let right_ok = |end: usize| {
        let after = &rest[end..];
        after.chars().next().is_none_or(|c| !is_han(c)) || RIGHT.found(after).next().is_some()
    };
    let end = match strength {
        Strength::Cued => match three {
            Some(e) if fits(e) => e,
            _ if fits(two) => two,
            _ => return None,
        },
        Strength::Alone => match three {
            Some(e) if fits(e) && right_ok(e) => e,
            _ => return None,
        },
    };
    Some(at..at + end)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Sorts spans and joins those that overlap.
pub fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&str> {
        find(text, None, Finders::All)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn third_parties_named_by_their_role_are_found() {
        assert_eq!(names("市民反映商户老板王建国在店外占道经营"), ["王建国"]);
        assert_eq!(names("其邻居张秀英家装修噪音扰民"), ["张秀英"]);
        assert_eq!(names("出租车司机陈志强拒载"), ["陈志强"]);
        assert_eq!(names("执法队员李强态度恶劣"), ["李强"]);
        assert_eq!(
            names("楼上住户高志刚与马国栋聚众赌博"),
            ["高志刚", "马国栋"]
        );
        assert_eq!(names("服装厂老板欧阳春花拖欠工资"), ["欧阳春花"]);
    }

    #[test]
    fn names_standing_alone_are_found_where_a_person_stands() {
        assert_eq!(names("张秀英家楼上漏水"), ["张秀英"]);
        assert_eq!(names("已多次投诉陈志强拒载"), ["陈志强"]);
        assert_eq!(names("来电称其与李桂兰因宅基地发生纠纷"), ["李桂兰"]);
    }

    #[test]
    fn anonymised_surnames_places_and_words_are_left_alone() {
        for text in [
            "执法队员李某某在执法过程中言语粗暴",
            "商户王某在店外占道经营",
            "来电反映王庄村村内道路坑洼不平",
            "反映张黄镇中心小学门口缺少减速带",
            "反映梁山县水泊街道小区停车位不足",
            "出租车司机文明礼貌",
            "市民建议开展文明城市创建",
            "反映某商户单方面提高价格",
            "马路两边高峰时段交通拥堵",
            "反映和平路与建设路交叉口",
        ] {
            assert_eq!(names(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn indexed_word_lists_answer_as_the_lists_do() {
        // An empty word would match everywhere in a plain scan but has no character to be
        // indexed by: the lists must have none.
        for list in [
            ROLE_CUES,
            LEFT_WORDS,
            RIGHT_WORDS,
            COMMON_WORDS,
            COMPOUND_SURNAMES,
        ] {
            assert!(list.iter().all(|w| !w.is_empty()));
        }
        assert_eq!(LEFT.found("看到").collect::<Vec<_>>(), ["到", "看到"]);
        assert_eq!(RIGHT.found("").next(), None);
        // At every place of these texts, the indexed lists find what a scan of the whole
        // list finds, in list order.
        let texts = [
            "市民反映商户老板王建国在店外占道经营，其邻居张秀英家装修噪音扰民",
            "已多次投诉陈志强拒载，看到欧阳春花与司马光以及和平路的文明城市",
            "来电称其与李桂兰因宅基地发生纠纷，要求查处上官婉儿私自搭建",
        ];
        let scan = |list: &[&'static str], f: &dyn Fn(&str) -> bool| {
            list.iter().copied().filter(|w| f(w)).collect::<Vec<_>>()
        };
        for text in texts {
            for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let (before, rest) = text.split_at(i);
                for (list, index) in [(LEFT_WORDS, &LEFT), (ROLE_CUES, &CUES)] {
                    assert_eq!(
                        scan(list, &|w| before.ends_with(w)),
                        index.found(before).collect::<Vec<_>>()
                    );
                }
                for (list, index) in [
                    (RIGHT_WORDS, &RIGHT),
                    (COMMON_WORDS, &COMMON),
                    (COMPOUND_SURNAMES, &COMPOUND),
                ] {
                    assert_eq!(
                        scan(list, &|w| rest.starts_with(w)),
                        index.found(rest).collect::<Vec<_>>()
                    );
                }
            }
        }
    }

    #[test]
    fn the_introduced_finder_alone_is_the_old_rule() {
        let t = "来电人王建国反映老板李强占道";
        let old: Vec<_> = find(t, None, Finders::Introduced)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(old, ["王建国"]);
        assert_eq!(names(t), ["王建国", "李强"]);
    }
}
