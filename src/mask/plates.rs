//! Finding vehicle plates (机动车号牌) in free text, so that they can be masked as `[车牌]`.
//!
//! A plate is a province's one-character abbreviation, the issuing city's letter, and five
//! letters and digits (鲁H12345, 鲁H·5K6J7), six for new-energy vehicles (鲁HD12345,
//! 鲁H12345D), or four and a suffix for trailers and coaches (鲁H1234挂, 鲁H6688学).
//! Operators write them with a middle dot, a hyphen or a space after the city letter, and in
//! lower case. I and O are not used on plates; a run of letters and digits that goes on past
//! the plate (a model number) is not one, nor is one with fewer than two digits.
//! `sql/checks/appeals_no_personal_data.sql` looks for the same shape, so that a plate left in
//! clear is caught before the load commits.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// The plate pattern; the end of the letter-and-digit run is checked by hand, since the
/// regex engine has no look-around.
static PLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]",
        r"[A-HJ-NP-Za-hj-np-z]",
        r"[·•・\-\s]?",
        r"(?:[A-HJ-NP-Za-hj-np-z0-9]{5,6}(?P<suffix>[挂学警港澳领使])?",
        r"|[A-HJ-NP-Za-hj-np-z0-9]{4}[挂学警港澳领使])",
    ))
    .expect("valid plate pattern")
});

/// The byte ranges of the vehicle plates in `text`, in order.
pub fn find(text: &str) -> Vec<Range<usize>> {
    // A plate has a letter and digits; most texts have no Latin letter at all.
    if !text.bytes().any(|b| b.is_ascii_alphabetic()) || !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in PLATE.captures_iter(text) {
        let m = c.get(0).expect("the whole match");
        let mut range = m.range();
        let after = text[m.end()..].chars().next();
        if after.is_some_and(|c| c.is_ascii_alphanumeric()) {
            // 鲁H12345挂A: without its optional suffix the plate still ends where a letter or
            // digit does not follow (the privacy check reads it so too).
            match c.name("suffix") {
                Some(suffix) => range.end = suffix.start(),
                None => continue,
            }
        }
        let s = &text[range.clone()];
        // The serial part, after the city letter and the separator: a plate has digits in
        // it (鲁HABCDE is not one).
        let digits = s.chars().skip(2).filter(char::is_ascii_digit).count();
        if digits >= 2 {
            out.push(range);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plates(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn plates_in_the_ways_operators_write_them() {
        assert_eq!(plates("出租车司机拒载，车牌鲁H12345，"), ["鲁H12345"]);
        assert_eq!(plates("鲁H·D12345司机"), ["鲁H·D12345"]);
        assert_eq!(plates("鲁H-5K6J7私家车"), ["鲁H-5K6J7"]);
        assert_eq!(plates("鲁h3b5c7的面包车"), ["鲁h3b5c7"]);
        assert_eq!(plates("鲁H1234挂半挂车"), ["鲁H1234挂"]);
        assert_eq!(plates("教练车鲁H6688学在"), ["鲁H6688学"]);
        assert_eq!(plates("新能源车鲁H12345D超员"), ["鲁H12345D"]);
        assert_eq!(plates("鲁HQ2W34和鲁HZ5678两辆车"), ["鲁HQ2W34", "鲁HZ5678"]);
        assert_eq!(plates("鲁H12345挂A车厢"), ["鲁H12345"]);
    }

    #[test]
    fn things_that_only_look_like_plates_are_not() {
        for text in [
            "鲁A级景区评定标准",
            "型号为A12345的电视机",
            "咨询H7N9疫苗",
            "京沪高速济宁段",
            "鲁H1234567890的编号",
            "鲁HABCDE",
        ] {
            assert_eq!(plates(text), Vec::<&str>::new(), "{text}");
        }
    }
}
