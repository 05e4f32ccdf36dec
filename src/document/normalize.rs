//! Label normalisation: the form in which table labels and titles are compared.
//!
//! Real drafts mix full-width and half-width punctuation, put spaces inside words and
//! break labels over lines; comparing normalised text makes all of them the same label.

/// Whitespace in the widest sense: ASCII, the ideographic space, no-break spaces and a BOM.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{3000}' | '\u{a0}' | '\u{feff}' | '\u{200b}')
}

/// Maps a character to its canonical width, or `None` to drop it.
fn canonical_char(c: char) -> Option<char> {
    if is_space(c) {
        return None;
    }
    Some(match c {
        '(' => '（',
        ')' => '）',
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' | '｡' => '.',
        '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | '『' | '』' | '*' => {
            return None
        }
        _ => c,
    })
}

/// The normalised form of a label: no whitespace or quotes, full-width brackets and commas,
/// ASCII digits, and `1、` / `1．` numbering written `1.`.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(&mut out, text);
    out
}

/// Whether [`normalize`] always keeps `c` as it is: the CJK ideographs, nearly all of a
/// Chinese text.
pub(crate) fn kept_as_is(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// [`normalize`], appending to `out`.
pub fn normalize_into(out: &mut String, text: &str) {
    let mut prev_digit = false;
    // Characters that stay as they are (nearly all of a Chinese text) are copied in runs.
    let mut run = 0;
    for (i, c) in text.char_indices() {
        if kept_as_is(c) {
            // Never changed (the test below compares with the full path).
            prev_digit = false;
            continue;
        }
        let mapped = canonical_char(c).map(|m| if prev_digit && m == '、' { '.' } else { m });
        prev_digit = mapped.is_some_and(|m| m.is_ascii_digit()) || (prev_digit && mapped.is_none());
        if mapped == Some(c) {
            continue;
        }
        out.push_str(&text[run..i]);
        out.extend(mapped);
        run = i + c.len_utf8();
    }
    out.push_str(&text[run..]);
}

/// Whether `s` has at most `n` characters, counting them only when its length in bytes
/// cannot tell (a character is one to four bytes).
pub fn at_most_chars(s: &str, n: usize) -> bool {
    s.len() <= n || (s.len() <= 4 * n && s.chars().count() <= n)
}

/// Whether [`normalize`] leaves nothing of `text` (only spaces, quotes and the like), without
/// making the string.
pub fn normalizes_to_nothing(text: &str) -> bool {
    text.chars().all(|c| canonical_char(c).is_none())
}

/// The label without its leading numbering (`（三）`, `三、`, `3.`, `（3）`) and without a
/// trailing parenthetical remark.
pub fn core(normalized: &str) -> &str {
    let (_, rest) = split_numbering(normalized);
    let rest = match rest.strip_suffix('）') {
        Some(inner) => match inner.rfind('（') {
            Some(open) if open > 0 => &rest[..open],
            _ => rest,
        },
        None => rest,
    };
    rest
}

/// The kinds of numbering a label or heading can start with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// `一、` `二．`: a top-level section.
    Chinese(u32),
    /// `（一）` `(二)`: a sub-item.
    Paren(u32),
    /// `1.` `2、`.
    Arabic(u32),
    /// `（1）`.
    ParenArabic(u32),
}

impl Numbering {
    pub fn value(self) -> u32 {
        match self {
            Numbering::Chinese(n)
            | Numbering::Paren(n)
            | Numbering::Arabic(n)
            | Numbering::ParenArabic(n) => n,
        }
    }
}

/// Reads leading numbering from normalised text; returns it and the rest.
pub fn split_numbering(s: &str) -> (Option<Numbering>, &str) {
    if let Some(inner) = s.strip_prefix('（') {
        if let Some(close) = inner.find('）') {
            let num = &inner[..close];
            let rest = &inner[close + '）'.len_utf8()..];
            if let Some(n) = chinese_number(num) {
                return (Some(Numbering::Paren(n)), rest);
            }
            if let Ok(n) = num.parse::<u32>() {
                if !num.is_empty() && num.len() <= 3 {
                    return (Some(Numbering::ParenArabic(n)), rest);
                }
            }
        }
        return (None, s);
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &s[digits..];
        if let Some(rest) = rest.strip_prefix('.') {
            // `1.5万元` is a number, not numbering.
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return (
                    Some(Numbering::Arabic(s[..digits].parse().unwrap_or(0))),
                    rest,
                );
            }
        }
        return (None, s);
    }
    let numeral_len: usize = s
        .char_indices()
        .take_while(|(_, c)| is_chinese_digit(*c))
        .map(|(_, c)| c.len_utf8())
        .sum();
    if numeral_len > 0 {
        let rest = &s[numeral_len..];
        for sep in ['、', '.', '，'] {
            if let Some(rest) = rest.strip_prefix(sep) {
                if let Some(n) = chinese_number(&s[..numeral_len]) {
                    return (Some(Numbering::Chinese(n)), rest);
                }
            }
        }
    }
    (None, s)
}

fn is_chinese_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '〇' | '零'
    )
}

/// The value of one Chinese digit, 〇 (or 零, ○) to 九.
pub fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Reads 一 … 九十九.
pub fn chinese_number(s: &str) -> Option<u32> {
    let digit = chinese_digit;
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|d| *d > 0),
        ['十', u] => digit(*u).map(|u| 10 + u),
        [t, '十'] => digit(*t).filter(|t| *t > 1).map(|t| t * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Writes 1 … 99 as Chinese numerals.
pub fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
        _ if n % 10 == 0 => format!("{}十", DIGITS[(n / 10 % 10) as usize]),
        _ => format!(
            "{}十{}",
            DIGITS[(n / 10 % 10) as usize],
            DIGITS[(n % 10) as usize]
        ),
    }
}

/// Similarity of two labels in [0, 1]: the longest common subsequence of their characters
/// over the longer length.
pub fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for ca in &a {
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = if ca == cb {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as f64 / longest as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `normalize` a character at a time, without the fast paths.
    fn normalize_slowly(text: &str) -> String {
        let mut out = String::new();
        let mut prev_digit = false;
        for c in text.chars() {
            let Some(c) = canonical_char(c) else {
                continue;
            };
            let c = if prev_digit && c == '、' { '.' } else { c };
            prev_digit = c.is_ascii_digit();
            out.push(c);
        }
        out
    }

    proptest::proptest! {
        /// Copying unchanged runs gives what mapping each character gives, around every
        /// character that changes or goes (and across the ends of the ideograph range).
        #[test]
        fn runs_are_copied_as_mapped(
            text in "[一龥丁\u{4dff}\u{a000}a1１、．｡ 　\u{a0}\u{feff}\u{200b}\t\n()，,:“”'*「」〇😀]{0,24}",
        ) {
            proptest::prop_assert_eq!(normalize(&text), normalize_slowly(&text));
        }
    }

    #[test]
    fn character_counts_from_lengths() {
        for s in ["", "abc", "报告", "一二三四", "😀😀a", "ab😀"] {
            for n in 0..6 {
                assert_eq!(at_most_chars(s, n), s.chars().count() <= n, "{s} {n}");
            }
        }
    }

    #[test]
    fn numbering_commas_follow_digits_only() {
        for (text, want) in [
            ("1、", "1."),
            ("１ 、", "1."),
            ("1“、", "1."),
            ("1一、", "1一、"),
            ("一、", "一、"),
            ("a1、二", "a1.二"),
        ] {
            assert_eq!(normalize(text), want, "{text}");
            assert_eq!(normalize_slowly(text), want, "{text}");
        }
    }

    #[test]
    fn widths_spaces_and_quotes() {
        assert_eq!(
            normalize("(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
        );
        assert_eq!(normalize(" 自 然 人 "), "自然人");
        assert_eq!(normalize("3.危及\"三安全一稳定\""), "3.危及三安全一稳定");
        assert_eq!(normalize("3.危及“三安全一稳定”"), "3.危及三安全一稳定");
        assert_eq!(normalize("1、属于国家秘密"), "1.属于国家秘密");
        assert_eq!(normalize("１．属于国家秘密"), "1.属于国家秘密");
    }

    #[test]
    fn numbering() {
        assert_eq!(
            split_numbering("（三）不予公开"),
            (Some(Numbering::Paren(3)), "不予公开")
        );
        assert_eq!(
            split_numbering("十一、其他"),
            (Some(Numbering::Chinese(11)), "其他")
        );
        assert_eq!(
            split_numbering("2.重复申请"),
            (Some(Numbering::Arabic(2)), "重复申请")
        );
        assert_eq!(
            split_numbering("（12）事项"),
            (Some(Numbering::ParenArabic(12)), "事项")
        );
        assert_eq!(split_numbering("1.5万元"), (None, "1.5万元"));
        assert_eq!(split_numbering("一是加强"), (None, "一是加强"));
        assert_eq!(core("（二）部分公开（区分处理的）"), "部分公开");
        assert_eq!(core("本年收费金额（单位：万元）"), "本年收费金额");
    }

    #[test]
    fn chinese_numbers_round_trip() {
        for n in 1..100 {
            assert_eq!(chinese_number(&chinese_numeral(n)), Some(n), "{n}");
        }
    }

    #[test]
    fn similarity_of_labels() {
        assert!(similarity("社会组织", "社会公益组织") > 0.6);
        assert!(similarity("1.属于国家机密", "1.属于国家秘密") > 0.8);
        assert!(similarity("行政许可", "行政处罚") < 0.6);
    }
}
