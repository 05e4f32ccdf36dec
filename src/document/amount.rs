//! Numbers in table cells and prose: exact decimals, never floating point.

use std::cmp::Ordering;
use std::fmt;

/// An exact decimal: `mantissa / 10^scale`.
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

const MAX_SCALE: u32 = 12;

impl Decimal {
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    pub fn from_int(n: i64) -> Decimal {
        Decimal {
            mantissa: n as i128,
            scale: 0,
        }
    }

    /// Reads `[+-]digits[.digits]` with ASCII digits only.
    pub fn parse_plain(s: &str) -> Option<Decimal> {
        let (negative, body) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || body.ends_with('.') {
            return None;
        }
        if frac.len() as u32 > MAX_SCALE || int.len() > 24 {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mantissa = mantissa.checked_mul(10)?.checked_add((b - b'0') as i128)?;
        }
        Some(Decimal {
            mantissa: if negative { -mantissa } else { mantissa },
            scale: frac.len() as u32,
        })
    }

    pub fn is_integer(self) -> bool {
        self.mantissa % 10i128.pow(self.scale) == 0
    }

    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    pub fn scale(self) -> u32 {
        self.scale
    }

    fn rescaled(self, scale: u32) -> i128 {
        // Nearly every figure is a whole number: no 128-bit multiplication for those.
        if scale == self.scale {
            return self.mantissa;
        }
        self.mantissa.saturating_mul(10i128.pow(scale - self.scale))
    }

    pub fn plus(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal {
            mantissa: self.rescaled(scale).saturating_add(other.rescaled(scale)),
            scale,
        }
    }

    pub fn minus(self, other: Decimal) -> Decimal {
        self.plus(Decimal {
            mantissa: -other.mantissa,
            scale: other.scale,
        })
    }

    pub fn sum(items: impl IntoIterator<Item = Decimal>) -> Decimal {
        items.into_iter().fold(Decimal::ZERO, Decimal::plus)
    }

    /// The value as an integer when it has no fraction.
    pub fn to_i128(self) -> Option<i128> {
        self.is_integer()
            .then(|| self.mantissa / 10i128.pow(self.scale))
    }

    /// Writes the value with `scale` decimals (padding with zeros, never rounding away digits).
    pub fn with_scale(self, scale: u32) -> Decimal {
        if scale >= self.scale {
            Decimal {
                mantissa: self.rescaled(scale),
                scale,
            }
        } else {
            self
        }
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.rescaled(scale).cmp(&other.rescaled(scale))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        if self.scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let scale = self.scale as usize;
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

/// What a table cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Number(Decimal),
    /// Empty, or a mark such as `/`, `-`, `—` or `无` that stands for nothing; read as zero.
    Blank(BlankKind),
    /// The row has no cell here at all.
    Missing,
    /// Text that is not a number.
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlankKind {
    Empty,
    Mark,
}

impl Value {
    /// The number this cell counts as in a sum: blanks and missing cells count as zero.
    pub fn as_number(self) -> Option<Decimal> {
        match self {
            Value::Number(d) => Some(d),
            Value::Blank(_) | Value::Missing => Some(Decimal::ZERO),
            Value::Text => None,
        }
    }

    pub fn is_written(self) -> bool {
        matches!(self, Value::Number(_))
    }

    pub fn is_blank_or_missing(self) -> bool {
        matches!(self, Value::Blank(_) | Value::Missing)
    }
}

/// Units a number in a cell may carry; they are dropped when reading the number.
const UNITS: &[&str] = &[
    "万元", "元", "人次", "件", "个", "项", "条", "次", "份", "宗", "起",
];

const BLANK_MARKS: &[&str] = &[
    "/", "／", "\\", "-", "－", "—", "——", "–", "―", "无", "空", "--",
];

/// Reads a cell: blanks and marks, then numbers written with full-width digits, thousands
/// separators, a sign, or a unit.
pub fn parse_value(raw: &str) -> Value {
    let raw = crate::text::trim_pad(raw, super::normalize::is_space);
    // Most cells are plain ASCII digits: no mark, unit or mapping can apply.
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        if raw.len() <= 18 {
            // Fits in an i64 however large its digits.
            let n = raw.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
            return Value::Number(Decimal::from_int(n));
        }
        return Decimal::parse_plain(raw).map_or(Value::Text, Value::Number);
    }
    let Some(first) = raw.chars().next() else {
        return Value::Blank(BlankKind::Empty);
    };
    // A number starts with a digit or a sign, a blank mark with one of its own characters:
    // anything else (labels, prose) is text, decided without reading further.
    if !matches!(
        first,
        '0'..='9'
            | '０'..='９'
            | '+'
            | '＋'
            | '-'
            | '－'
            | '−'
            | '/'
            | '／'
            | '\\'
            | '—'
            | '–'
            | '―'
            | '无'
            | '空'
    ) {
        return Value::Text;
    }
    // Spaces inside (`1 0 0`) separate numbers: this is not one number.
    if raw.contains(super::normalize::is_space) {
        return Value::Text;
    }
    // Mapping never makes the text longer, so a short cell is read without allocating.
    let mut small = [0u8; 64];
    let long: String;
    let s: &str = if raw.len() <= small.len() {
        let mut n = 0;
        for (i, c) in raw.chars().enumerate() {
            n += ascii_form(c, i == 0).encode_utf8(&mut small[n..]).len();
        }
        match std::str::from_utf8(&small[..n]) {
            Ok(s) => s,
            Err(_) => return Value::Text,
        }
    } else {
        long = raw
            .chars()
            .enumerate()
            .map(|(i, c)| ascii_form(c, i == 0))
            .collect();
        &long
    };
    read_ascii_form(s)
}

/// A cell already in [`ascii_form`]: a blank mark, or a number with an optional unit.
fn read_ascii_form(s: &str) -> Value {
    if BLANK_MARKS.contains(&s) {
        return Value::Blank(BlankKind::Mark);
    }
    let mut body = s;
    for unit in UNITS {
        if let Some(b) = body.strip_suffix(unit) {
            body = b;
            break;
        }
    }
    let plain = strip_thousands(body);
    match Decimal::parse_plain(plain.as_deref().unwrap_or(body)) {
        Some(d) => Value::Number(d),
        None => Value::Text,
    }
}

/// Full-width digits, point, plus and comma as ASCII; a leading minus of any kind as `-`.
fn ascii_form(c: char, first: bool) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' => '.',
        '＋' => '+',
        '－' | '−' if first => '-',
        '，' => ',',
        _ => c,
    }
}

/// `1,234,567.5` without separators, or `None` when the commas are not thousands separators.
fn strip_thousands(s: &str) -> Option<String> {
    if !s.contains(',') {
        return None;
    }
    let unsigned = s.trim_start_matches(['+', '-']);
    let int = unsigned.split('.').next().unwrap_or("");
    let groups: Vec<&str> = int.split(',').collect();
    let ok =
        !groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    ok.then(|| s.replace(',', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Decimal {
        match parse_value(s) {
            Value::Number(d) => d,
            other => panic!("{s:?} read as {other:?}"),
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(num("34").to_string(), "34");
        assert_eq!(num("4618.24").to_string(), "4618.24");
        assert_eq!(num("１２３").to_string(), "123");
        assert_eq!(num("1,234").to_string(), "1234");
        assert_eq!(num("+2").to_string(), "2");
        assert_eq!(num("-1").to_string(), "-1");
        assert_eq!(num("－8").to_string(), "-8");
        assert_eq!(num("44.48万元").to_string(), "44.48");
        assert_eq!(num(" 5件 ").to_string(), "5");
        assert_eq!(num("0.0500").to_string(), "0.0500");
    }

    #[test]
    fn blanks_and_text() {
        for blank in ["", " ", "\u{3000}"] {
            assert_eq!(parse_value(blank), Value::Blank(BlankKind::Empty));
        }
        for mark in ["/", "-", "—", "无", "－"] {
            assert_eq!(parse_value(mark), Value::Blank(BlankKind::Mark), "{mark}");
        }
        for text in ["十", "约3", "1,23", "3.", "1.2.3", "abc", "1 0 0", "12 436"] {
            assert_eq!(parse_value(text), Value::Text, "{text}");
        }
    }

    /// The mapping before the allocation-free one, kept to compare with.
    fn reference(raw: &str) -> Value {
        let raw = raw.trim_matches(crate::document::normalize::is_space);
        if raw.contains(crate::document::normalize::is_space) {
            return Value::Text;
        }
        let mut s = String::new();
        for c in raw.chars() {
            match c {
                '０'..='９' => {
                    s.push(char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c))
                }
                '．' => s.push('.'),
                '＋' => s.push('+'),
                '－' | '−' if s.is_empty() => s.push('-'),
                '，' => s.push(','),
                _ => s.push(c),
            }
        }
        if s.is_empty() {
            return Value::Blank(BlankKind::Empty);
        }
        // What follows the mapping is shared; the fast path's shortcuts and mapping are
        // what this compares.
        read_ascii_form(&s)
    }

    #[test]
    fn the_fast_reading_agrees_with_the_plain_one() {
        let pieces = [
            "", " ", "0", "9", "１", "２３", "+", "＋", "-", "－", "−", ".", "．", ",", "，", "/",
            "／", "\\", "—", "–", "―", "无", "空", "万元", "元", "件", "人次", "5", "123", "1,234",
            "a", "十", "。", "%", "\u{3000}",
        ];
        let mut inputs: Vec<String> = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in ["", "0", "，567", "．5", "件", "-", "—"] {
                    inputs.push(format!("{a}{b}{c}"));
                }
            }
        }
        inputs.push("1".repeat(30));
        inputs.push("9".repeat(18));
        inputs.push("9".repeat(19));
        inputs.push("9".repeat(24));
        inputs.push("9".repeat(25));
        inputs.push(format!("{}\u{3000}", "0".repeat(24)));
        inputs.push(format!("1.{}", "2,".repeat(40)));
        inputs.push(format!("１２，３４５．{}", "６".repeat(30)));
        for s in &inputs {
            assert_eq!(parse_value(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn arithmetic_is_exact() {
        let a = num("0.1");
        let b = num("0.2");
        assert_eq!(a.plus(b), num("0.3"));
        assert_eq!(
            Decimal::sum([num("4618.24"), num("1.76")]).to_string(),
            "4620.00"
        );
        assert!(num("-1").is_negative());
        assert!(num("2.0").is_integer());
        assert!(!num("2.5").is_integer());
        assert_eq!(num("1.50"), num("1.5"));
    }
}
