//! Word's style and list definitions (`word/styles.xml`, `word/numbering.xml`): which
//! paragraphs are titles or headings, and the list numbers Word draws before paragraphs.

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::document::normalize::chinese_numeral;

/// The value of the attribute with this local name (`w:val` → `val`), unescaped.
pub(super) fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    attrs
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| {
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            match quick_xml::escape::unescape(&raw) {
                Ok(v) => v.into_owned(),
                Err(_) => raw,
            }
        })
}

/// Whether a toggle such as `w:b` or `w:vanish` is on: it is unless `w:val` says otherwise.
pub(super) fn is_on(e: &BytesStart) -> bool {
    !matches!(
        attr(e, b"val").as_deref(),
        Some("false" | "0" | "off" | "none")
    )
}

fn number_attr<T: std::str::FromStr>(e: &BytesStart, local: &[u8]) -> Option<T> {
    attr(e, local).and_then(|v| v.trim().parse().ok())
}

/// What a paragraph style makes of a paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StyleKind {
    Normal,
    Title,
    Heading(u8),
    /// A table-of-contents entry or heading.
    Toc,
}

/// Reads a style name (or, failing that, a style id) such as `heading 1`, `标题 1`, `Title`.
fn kind_of_name(name: &str, digits_are_headings: bool) -> Option<StyleKind> {
    let n: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if n == "title" || n == "标题" {
        return Some(StyleKind::Title);
    }
    if n.starts_with("toc") || n.starts_with("目录") {
        return Some(StyleKind::Toc);
    }
    let level = n
        .strip_prefix("heading")
        .or_else(|| n.strip_prefix("标题"))
        .or(if digits_are_headings {
            Some(n.as_str())
        } else {
            None
        })
        .and_then(|d| d.parse::<u8>().ok())
        .filter(|d| (1..=9).contains(d));
    level.map(StyleKind::Heading)
}

#[derive(Clone, Debug, Default)]
struct StyleDef {
    name: String,
    based_on: Option<String>,
    center: Option<bool>,
    bold: Option<bool>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

/// The paragraph styles of a document, by style id.
#[derive(Clone, Debug, Default)]
pub(super) struct Styles {
    defs: HashMap<String, StyleDef>,
    /// False when the document has no `word/styles.xml`; style ids are then read as names.
    present: bool,
}

impl Styles {
    pub(super) fn parse(xml: &str) -> Result<Styles, String> {
        let mut reader = Reader::from_str(xml);
        let mut styles = Styles {
            defs: HashMap::new(),
            present: true,
        };
        let mut current: Option<(String, StyleDef)> = None;
        let (mut in_ppr, mut in_rpr) = (false, false);
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
            let (e, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        b"style" => {
                            if let Some((id, def)) = current.take() {
                                styles.defs.insert(id, def);
                            }
                        }
                        b"pPr" => in_ppr = false,
                        b"rPr" => in_rpr = false,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            let local = e.local_name();
            if local.as_ref() == b"style" {
                if is_start {
                    current = attr(e, b"styleId").map(|id| (id, StyleDef::default()));
                }
                continue;
            }
            let Some((_, def)) = current.as_mut() else {
                continue;
            };
            match local.as_ref() {
                b"pPr" if is_start => in_ppr = true,
                b"rPr" if is_start => in_rpr = true,
                b"name" => def.name = attr(e, b"val").unwrap_or_default(),
                b"basedOn" => def.based_on = attr(e, b"val"),
                b"jc" if in_ppr => {
                    def.center = Some(matches!(attr(e, b"val").as_deref(), Some("center")))
                }
                b"outlineLvl" if in_ppr => def.outline = number_attr(e, b"val"),
                b"numId" if in_ppr => def.num_id = attr(e, b"val"),
                b"ilvl" if in_ppr => def.ilvl = number_attr(e, b"val"),
                b"b" if in_rpr => def.bold = Some(is_on(e)),
                _ => {}
            }
        }
        Ok(styles)
    }

    /// The style and the styles it is based on, nearest first.
    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a StyleDef> + 'a {
        let mut next = Some(id);
        let mut steps = 0;
        std::iter::from_fn(move || {
            steps += 1;
            let def = self.defs.get(next.take()?)?;
            if steps < 20 {
                next = def.based_on.as_deref();
            }
            Some(def)
        })
    }

    pub(super) fn kind(&self, id: &str) -> StyleKind {
        if !self.defs.contains_key(id) {
            return kind_of_name(id, !self.present).unwrap_or(StyleKind::Normal);
        }
        self.chain(id)
            .find_map(|d| kind_of_name(&d.name, false))
            .unwrap_or(StyleKind::Normal)
    }

    pub(super) fn center(&self, id: &str) -> bool {
        self.chain(id).find_map(|d| d.center).unwrap_or(false)
    }

    pub(super) fn bold(&self, id: &str) -> bool {
        self.chain(id).find_map(|d| d.bold).unwrap_or(false)
    }

    pub(super) fn outline(&self, id: &str) -> Option<u8> {
        self.chain(id).find_map(|d| d.outline)
    }

    pub(super) fn num_id(&self, id: &str) -> Option<String> {
        self.chain(id).find_map(|d| d.num_id.clone())
    }

    pub(super) fn ilvl(&self, id: &str) -> Option<u8> {
        self.chain(id).find_map(|d| d.ilvl)
    }
}

#[derive(Clone, Debug, Default)]
struct Level {
    start: u32,
    format: String,
    text: Option<String>,
    suffix: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Num {
    abstract_id: String,
    /// `(level, start)` pairs that restart a list.
    overrides: Vec<(usize, u32)>,
}

/// Word's automatic list numbering, with the counters of the lists read so far.
#[derive(Clone, Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
    counters: HashMap<String, [Option<u32>; 9]>,
    started: HashSet<String>,
    /// Whether any number was written out.
    pub(super) used: bool,
}

impl Numbering {
    pub(super) fn parse(xml: &str) -> Result<Numbering, String> {
        let mut reader = Reader::from_str(xml);
        let mut out = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(usize, Level)> = None;
        let mut num: Option<(String, Num)> = None;
        let mut override_level: Option<usize> = None;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
            let (e, is_start) = match &event {
                Event::Start(e) => (e, true),
                Event::Empty(e) => (e, false),
                Event::End(e) => {
                    match e.local_name().as_ref() {
                        b"abstractNum" => abstract_id = None,
                        b"lvl" => {
                            if let (Some(id), Some((i, lvl))) = (&abstract_id, level.take()) {
                                let levels = out.abstracts.entry(id.clone()).or_default();
                                if levels.len() <= i {
                                    levels.resize(i + 1, Level::default());
                                }
                                levels[i] = lvl;
                            }
                        }
                        b"num" => {
                            if let Some((id, n)) = num.take() {
                                out.nums.insert(id, n);
                            }
                        }
                        b"lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            match e.local_name().as_ref() {
                b"abstractNum" if is_start => abstract_id = attr(e, b"abstractNumId"),
                b"lvl" if is_start && abstract_id.is_some() => {
                    let i: usize = number_attr(e, b"ilvl").unwrap_or(0);
                    level = (i < 9).then(|| {
                        (
                            i,
                            Level {
                                start: 1,
                                ..Level::default()
                            },
                        )
                    });
                }
                b"start" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.start = number_attr(e, b"val").unwrap_or(1);
                    }
                }
                b"numFmt" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.format = attr(e, b"val").unwrap_or_default();
                    }
                }
                b"lvlText" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.text = attr(e, b"val");
                    }
                }
                b"suff" => {
                    if let Some((_, l)) = level.as_mut() {
                        l.suffix = attr(e, b"val");
                    }
                }
                b"num" if is_start => {
                    num = attr(e, b"numId").map(|id| (id, Num::default()));
                }
                b"abstractNumId" => {
                    if let Some((_, n)) = num.as_mut() {
                        n.abstract_id = attr(e, b"val").unwrap_or_default();
                    }
                }
                b"lvlOverride" if is_start => override_level = number_attr(e, b"ilvl"),
                b"startOverride" => {
                    if let (Some((_, n)), Some(l)) = (num.as_mut(), override_level) {
                        n.overrides.push((l, number_attr(e, b"val").unwrap_or(1)));
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Counts one more paragraph of list `num_id` at `ilvl` and returns the number Word shows
    /// before it (`一、`, `（二）`, `3.`), or `None` for bullets and unknown lists.
    pub(super) fn next(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let num = self.nums.get(num_id)?;
        let levels = self.abstracts.get(&num.abstract_id)?;
        let ilvl = usize::from(ilvl).min(8);
        let level = levels.get(ilvl)?;
        let counters = self.counters.entry(num.abstract_id.clone()).or_default();
        if self.started.insert(num_id.to_string()) {
            for &(l, start) in &num.overrides {
                if l < 9 {
                    counters[l] = Some(start.saturating_sub(1));
                    counters[l + 1..].iter_mut().for_each(|c| *c = None);
                }
            }
        }
        counters[ilvl] = Some(counters[ilvl].map_or(level.start, |c| c + 1));
        counters[ilvl + 1..].iter_mut().for_each(|c| *c = None);
        if matches!(level.format.as_str(), "bullet" | "none") {
            return None;
        }
        let mut text = level.text.clone()?;
        for (i, l) in levels.iter().enumerate().take(ilvl + 1).rev() {
            let value = counters[i].unwrap_or(l.start);
            text = text.replace(&format!("%{}", i + 1), &format_number(value, &l.format));
        }
        if text.trim().is_empty() {
            return None;
        }
        let ends_in_cjk = text
            .chars()
            .next_back()
            .is_some_and(super::markdown::is_cjk);
        if level.suffix.as_deref() != Some("nothing") && !ends_in_cjk {
            text.push(' ');
        }
        self.used = true;
        Some(text)
    }
}

/// A list number in one of Word's number formats.
fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
            if n < 100 =>
        {
            chinese_numeral(n)
        }
        "chineseLegalSimplified" if n < 100 => chinese_numeral(n)
            .chars()
            .map(|c| {
                let i = "〇一二三四五六七八九十".chars().position(|d| d == c);
                i.and_then(|i| "零壹贰叁肆伍陆柒捌玖拾".chars().nth(i))
                    .unwrap_or(c)
            })
            .collect(),
        "ideographDigital" => n
            .to_string()
            .chars()
            .map(|d| {
                let i = d.to_digit(10).unwrap_or(0) as usize;
                "〇一二三四五六七八九".chars().nth(i).unwrap_or(d)
            })
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or_else(|| n.to_string(), String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|d| char::from_u32(d as u32 - '0' as u32 + '０' as u32).unwrap_or(d))
            .collect(),
        "decimalZero" if n < 10 => format!("0{n}"),
        "lowerLetter" | "upperLetter" if n > 0 => {
            let letter = (b'a' + ((n - 1) % 26) as u8) as char;
            let s = letter.to_string().repeat(((n - 1) / 26 + 1) as usize);
            if format == "upperLetter" {
                s.to_uppercase()
            } else {
                s
            }
        }
        "lowerRoman" | "upperRoman" if (1..4000).contains(&n) => {
            let s = roman(n);
            if format == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            }
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn style_names_and_ids() {
        let xml = r#"<w:styles xmlns:w="w">
            <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/>
              <w:pPr><w:jc w:val="center"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="my"><w:name w:val="我的标题"/><w:basedOn w:val="1"/></w:style>
            <w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
            </w:styles>"#;
        let s = Styles::parse(xml).unwrap();
        assert_eq!(s.kind("1"), StyleKind::Heading(1));
        assert_eq!(s.kind("a3"), StyleKind::Title);
        assert!(s.center("a3"));
        assert_eq!(s.kind("my"), StyleKind::Heading(1));
        assert_eq!(s.kind("TOC1"), StyleKind::Toc);
        assert_eq!(s.kind("Heading2"), StyleKind::Heading(2));
        assert_eq!(s.kind("2"), StyleKind::Normal);
        assert_eq!(Styles::default().kind("2"), StyleKind::Heading(2));
    }

    #[test]
    fn chinese_list_numbers() {
        let xml = r#"<w:numbering xmlns:w="w">
            <w:abstractNum w:abstractNumId="0">
              <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
              <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            </w:numbering>"#;
        let mut n = Numbering::parse(xml).unwrap();
        assert_eq!(n.next("1", 0).as_deref(), Some("一、"));
        assert_eq!(n.next("1", 1).as_deref(), Some("（一）"));
        assert_eq!(n.next("1", 1).as_deref(), Some("（二）"));
        assert_eq!(n.next("1", 0).as_deref(), Some("二、"));
        assert_eq!(n.next("1", 1).as_deref(), Some("（一）"));
        assert_eq!(n.next("9", 0), None);
        assert_eq!(format_number(12, "chineseCounting"), "十二");
        assert_eq!(format_number(3, "upperRoman"), "III");
        assert_eq!(format_number(2, "decimalEnclosedCircle"), "②");
    }
}
