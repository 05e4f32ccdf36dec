//! Fuzz targets on stable Rust: the parser, the checks and the fixes over random bytes and
//! mutated fixtures, driven by proptest.
//!
//! Targets (see FUZZING.md):
//! - `fuzz_parse_check`: any text is parsed and checked without a panic; every range the core
//!   reports (findings, related places, fix edits, the model's titles, sections and tables) is
//!   inside the text and on char boundaries; rendering, `dump` and hover explanations work.
//! - `fuzz_fix_apply`: every offered fix, alone and all safe (or all) together through
//!   `apply_fixes`, gives the text an independent implementation gives, leaves the bytes outside
//!   its edits alone, and never overlaps another fix applied with it.
//! - `fuzz_fix_safety` (and `fix_safety_over_every_fixture`): a fix removes its finding, adds no
//!   error, does not offer itself again, and "fix all" converges.
//!
//! `cargo test` runs a short pass with a fixed seed. `REPORTLINT_FUZZ_SECONDS=N` runs each target
//! for about N seconds with fresh seeds, `REPORTLINT_FUZZ_CASES` sets the cases per batch and
//! `REPORTLINT_FUZZ_SEED` replays a seed; `tools/fuzz.sh` sets them. A failing input is shrunk,
//! minimised line by line and written to the failures directory, from where it can be copied to
//! `tests/fixtures/regressions/` to be replayed by `regressions_stay_fixed`.

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;

use reportlint::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use reportlint::document::dump::dump;
use reportlint::document::{Document, Flavour};
use reportlint::fix::{apply_fixes, select_fixes};
use reportlint::lang::Lang;
use reportlint::line_index::{ColumnUnit, LineCol, LineIndex};
use reportlint::render::Renderer;
use reportlint::rules::explain::explain_at;
use reportlint::text::{TextEdit, TextRange};
use reportlint::{analyze, Analysis, Options};

use harness::{guarded, Failure};

// ---------------------------------------------------------------------------------------------
// The harness: budgets, a fixed or fresh seed, a watchdog for hangs, and saving what failed.

#[path = "support/harness.rs"]
mod harness;

// ---------------------------------------------------------------------------------------------
// Inputs: the fixtures, and mutations of them.

mod gen {

    use proptest::prelude::*;
    use proptest::sample::{select, Index};

    pub use crate::harness::fixtures;

    /// Fragments that mean something to the parser, or to a careless one.
    pub const TOKENS: &[&str] = &[
        "|",
        "||",
        "| --- |",
        "|---|:---:|",
        "\t",
        "\t\t",
        "\r",
        "\n",
        "\r\n",
        "\n\n",
        " ",
        "\u{3000}",
        "\u{a0}",
        "\u{feff}",
        "\u{200b}",
        "\u{2028}",
        "\u{2029}",
        "\u{85}",
        "\u{0}",
        "\u{7f}",
        "\u{1b}[31m",
        "😀",
        "👨‍👩‍👧",
        "𠀀",
        "𪚥",
        "\u{fffd}",
        "é",
        "e\u{301}",
        "\u{202e}",
        "０",
        "１２３",
        "１，２３４",
        "，",
        "、",
        "。",
        "％",
        "%",
        "‰",
        "（",
        "）",
        "(",
        ")",
        "【",
        "】",
        "〔",
        "〕",
        "一、",
        "二、",
        "十一、",
        "（一）",
        "（七）",
        "1.",
        "1．",
        "（1）",
        "①",
        "#",
        "# ",
        "###### ",
        "####### ",
        "> ",
        "- ",
        "* ",
        "1) ",
        "```",
        "~~~",
        "<table>",
        "</table>",
        "<tr>",
        "<td>",
        "<td colspan=\"2\">",
        "</td>",
        "&nbsp;",
        "<!--",
        "-->",
        "合计",
        "总计",
        "小计",
        "其中",
        "占",
        "件",
        "条",
        "个",
        "万元",
        "元",
        "年",
        "月",
        "日",
        "/",
        "-",
        "—",
        "——",
        "无",
        "0",
        "00",
        "1",
        "10",
        "-1",
        "3.5",
        "0.5%",
        "100%",
        "12.5%",
        "2021年",
        "2019年",
        "2099年",
        "0年",
        "1月1日至12月31日",
        "本年新收政府信息公开申请数量",
        "上年结转政府信息公开申请数量",
        "予以公开",
        "不予公开",
        "行政复议",
        "行政诉讼",
        "结果维持",
        "结果纠正",
        "尚未审结",
        "本年度",
        "某某县人民政府",
        "政府信息公开工作年度报告",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "收费",
        "信息处理费",
    ];

    /// Numbers no count or amount should be.
    pub const HUGE: &[&str] = &[
        "99999999999999999999999999999999",
        "18446744073709551616",
        "18446744073709551615",
        "9223372036854775808",
        "9223372036854775807",
        "-9223372036854775808",
        "4294967296",
        "2147483648",
        "-2147483649",
        "65536",
        "1,234,567,890,123,456,789",
        "１２３４５６７８９０１２３４５６７８９０１２３",
        "1e308",
        "1e-400",
        "0.00000000000000000000000000001",
        "99999999999999999999.9999999999万元",
        "100.0000000000000000001%",
        "99999999999999999999999%",
        "-0",
        "-0.0%",
        "0x10",
        "1_000",
        "NaN",
        "∞",
        "九千九百九十九万亿",
    ];

    /// Units to repeat into very long lines.
    pub const LONG: &[&str] = &[
        "字",
        "1",
        "9",
        "|",
        "\t",
        "| 1 ",
        "\t1",
        " ",
        "%",
        "其中1件，",
        "😀",
        "𠀀",
        "-",
        "#",
        ">",
    ];

    /// Chars to put in place of another.
    pub const CHARS: &[char] = &[
        '|', '\t', '\r', '\n', '\u{0}', '\u{2028}', '\u{85}', '\u{3000}', '\u{feff}', '０', '９',
        '，', '、', '％', '😀', '𠀀', '\u{fffd}', '#', '>', '-', '（', '）', '一', '十', '合',
        '计',
    ];

    #[derive(Clone, Debug)]
    pub enum Op {
        Insert(Index, &'static str),
        Repeat(Index, &'static str, usize),
        Delete(Index, usize),
        DeleteLines(Index, usize),
        DuplicateLines(Index, usize, usize),
        SwapLines(Index, Index),
        /// Lines from another fixture: which fixture, from which line, how many, to where.
        Splice(Index, Index, usize, Index),
        ReplaceNumber(Index, &'static str),
        ReplaceChar(Index, char),
        LinePrefix(Index, &'static str),
        Truncate(Index),
        LineEndings(u8),
    }

    pub fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (any::<Index>(), select(TOKENS)).prop_map(|(i, t)| Op::Insert(i, t)),
            1 => (any::<Index>(), select(LONG), 1usize..6000).prop_map(|(i, t, n)| Op::Repeat(i, t, n)),
            3 => (any::<Index>(), 1usize..80).prop_map(|(i, n)| Op::Delete(i, n)),
            2 => (any::<Index>(), 1usize..6).prop_map(|(i, n)| Op::DeleteLines(i, n)),
            2 => (any::<Index>(), 1usize..6, 1usize..4).prop_map(|(i, n, k)| Op::DuplicateLines(i, n, k)),
            1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Op::SwapLines(a, b)),
            2 => (any::<Index>(), any::<Index>(), 1usize..30, any::<Index>())
                .prop_map(|(f, l, n, d)| Op::Splice(f, l, n, d)),
            3 => (any::<Index>(), select(HUGE)).prop_map(|(i, h)| Op::ReplaceNumber(i, h)),
            2 => (any::<Index>(), select(CHARS)).prop_map(|(i, c)| Op::ReplaceChar(i, c)),
            2 => (any::<Index>(), select(&["> ", ">>>>> ", "- ", "    ", "\t", "|", "# ", "### ", "　　", "1. ", "<td>"][..]))
                .prop_map(|(i, p)| Op::LinePrefix(i, p)),
            1 => any::<Index>().prop_map(Op::Truncate),
            1 => (0u8..4).prop_map(Op::LineEndings),
        ]
    }

    /// How long a repeated run may get: up to 1,000 units in the default pass, so that a debug
    /// build stays fast whatever it hits, up to 6,000 in a long run. (That the prose checks stay
    /// linear in a paragraph's figures is measured by `cargo bench --bench analyze --
    /// figures_in_one_paragraph`, not by a timed test.)
    pub fn max_repeat() -> usize {
        if std::env::var_os("REPORTLINT_FUZZ_SECONDS").is_some() {
            6000
        } else {
            1000
        }
    }

    pub fn floor(text: &str, mut at: usize) -> usize {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// Byte ranges of lines, terminators included.
    pub fn lines(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for piece in text.split_inclusive('\n') {
            out.push((start, start + piece.len()));
            start += piece.len();
        }
        out
    }

    pub fn apply(text: &mut String, op: &Op) {
        let pos = |i: &Index, t: &str| floor(t, i.index(t.len() + 1));
        match op {
            Op::Insert(i, tok) => {
                let at = pos(i, text);
                text.insert_str(at, tok);
            }
            Op::Repeat(i, unit, n) => {
                let at = pos(i, text);
                text.insert_str(at, &unit.repeat((*n).min(max_repeat())));
            }
            Op::Delete(i, n) => {
                let at = pos(i, text);
                let end = floor(text, at + n);
                text.replace_range(at..end, "");
            }
            Op::DeleteLines(i, n) => {
                let ls = lines(text);
                if ls.is_empty() {
                    return;
                }
                let first = i.index(ls.len());
                let last = (first + n).min(ls.len()) - 1;
                text.replace_range(ls[first].0..ls[last].1, "");
            }
            Op::DuplicateLines(i, n, k) => {
                let ls = lines(text);
                if ls.is_empty() {
                    return;
                }
                let first = i.index(ls.len());
                let last = (first + n).min(ls.len()) - 1;
                let mut piece = text[ls[first].0..ls[last].1].to_string();
                if !piece.ends_with('\n') {
                    piece.push('\n');
                }
                text.insert_str(ls[first].0, &piece.repeat(*k));
            }
            Op::SwapLines(a, b) => {
                let ls = lines(text);
                if ls.len() < 2 {
                    return;
                }
                let (mut x, mut y) = (a.index(ls.len()), b.index(ls.len()));
                if x == y {
                    return;
                }
                if x > y {
                    std::mem::swap(&mut x, &mut y);
                }
                let lx = text[ls[x].0..ls[x].1].to_string();
                let ly = text[ls[y].0..ls[y].1].to_string();
                text.replace_range(ls[y].0..ls[y].1, &lx);
                text.replace_range(ls[x].0..ls[x].1, &ly);
            }
            Op::Splice(f, l, n, d) => {
                let all = fixtures();
                let src = &all[f.index(all.len())].text;
                let ls = lines(src);
                if ls.is_empty() {
                    return;
                }
                let first = l.index(ls.len());
                let last = (first + n).min(ls.len()) - 1;
                let piece = &src[ls[first].0..ls[last].1];
                let at = pos(d, text);
                text.insert_str(at, piece);
            }
            Op::ReplaceNumber(i, huge) => {
                let runs = digit_runs(text);
                if runs.is_empty() {
                    let at = pos(i, text);
                    text.insert_str(at, huge);
                    return;
                }
                let (s, e) = runs[i.index(runs.len())];
                text.replace_range(s..e, huge);
            }
            Op::ReplaceChar(i, c) => {
                if text.is_empty() {
                    text.push(*c);
                    return;
                }
                let at = floor(text, i.index(text.len()));
                let len = text[at..].chars().next().map_or(0, char::len_utf8);
                text.replace_range(at..at + len, c.encode_utf8(&mut [0; 4]));
            }
            Op::LinePrefix(i, p) => {
                let ls = lines(text);
                let at = if ls.is_empty() {
                    0
                } else {
                    ls[i.index(ls.len())].0
                };
                text.insert_str(at, p);
            }
            Op::Truncate(i) => {
                let at = pos(i, text);
                text.truncate(at);
            }
            Op::LineEndings(mode) => {
                let lf = text.replace("\r\n", "\n");
                *text = match mode {
                    0 => lf.replace('\n', "\r\n"),
                    1 => lf.replace('\n', "\r"),
                    2 => lf,
                    // Mixed: every other line ends in CRLF.
                    _ => {
                        let mut out = String::with_capacity(lf.len() * 2);
                        for (k, piece) in lf.split_inclusive('\n').enumerate() {
                            match (k % 2, piece.strip_suffix('\n')) {
                                (1, Some(body)) => {
                                    out.push_str(body);
                                    out.push_str("\r\n");
                                }
                                _ => out.push_str(piece),
                            }
                        }
                        out
                    }
                };
            }
        }
    }

    fn digit_runs(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_ascii_digit() || ('０'..='９').contains(&c), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((s, text.len()));
        }
        out
    }

    /// A document to check, and how.
    #[derive(Clone)]
    pub struct Input {
        pub label: String,
        pub text: String,
        pub markdown: bool,
        /// 0: chosen by year, 1: f2021, 2: f2019.
        pub profile: u8,
    }

    impl std::fmt::Debug for Input {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let head: String = self.text.chars().take(120).collect();
            write!(
                f,
                "Input {{ {}, {} bytes, markdown: {}, profile: {}, text: {head:?}… }}",
                self.label,
                self.text.len(),
                self.markdown,
                self.profile
            )
        }
    }

    /// A fixture with up to `max_ops` mutations; without long runs (`Repeat` becomes `Insert`)
    /// unless `long`.
    pub fn mutated_fixture(max_ops: usize, long: bool) -> impl Strategy<Value = (String, String)> {
        let ops = proptest::collection::vec(op(), 0..max_ops).prop_map(move |ops| {
            ops.into_iter()
                .map(|op| match op {
                    Op::Repeat(i, t, _) if !long => Op::Insert(i, t),
                    op => op,
                })
                .collect::<Vec<_>>()
        });
        (any::<Index>(), ops).prop_map(|(i, ops)| {
            let all = fixtures();
            let f = &all[i.index(all.len())];
            let mut text = f.text.clone();
            for op in &ops {
                apply(&mut text, op);
            }
            (format!("{} + {} ops {:?}", f.name, ops.len(), ops), text)
        })
    }

    /// Random bytes read as UTF-8 the lossy way, token soup, line soup, and (mostly) mutated fixtures.
    pub fn documents() -> impl Strategy<Value = (String, String)> {
        let line_soup = proptest::collection::vec((any::<Index>(), any::<Index>()), 1..120)
            .prop_map(|picks| {
                let all = fixtures();
                let mut text = String::new();
                for (f, l) in picks {
                    let src = &all[f.index(all.len())].text;
                    let ls = lines(src);
                    if let Some(&(s, e)) = ls.get(l.index(ls.len().max(1))) {
                        text.push_str(&src[s..e]);
                    }
                }
                ("line soup".to_string(), text)
            });
        prop_oneof![
            1 => proptest::collection::vec(any::<u8>(), 0..2048)
                .prop_map(|b| ("random bytes".to_string(), String::from_utf8_lossy(&b).into_owned())),
            1 => proptest::collection::vec((select(TOKENS), select(&["", "", "\n", "\t", " ", "|"][..])), 0..300)
                .prop_map(|toks| {
                    let text: String = toks.iter().flat_map(|(a, b)| [*a, *b]).collect();
                    ("token soup".to_string(), text)
                }),
            2 => line_soup,
            6 => mutated_fixture(8, true),
        ]
    }

    pub fn inputs(docs: impl Strategy<Value = (String, String)>) -> impl Strategy<Value = Input> {
        (docs, any::<bool>(), 0u8..3).prop_map(|((label, text), markdown, profile)| Input {
            label,
            text,
            markdown,
            profile,
        })
    }
}

use gen::Input;

/// Bugs reported and pinned by a failing test below; the fuzz targets step over them so that
/// they do not hide new ones. Remove an entry when its bug is fixed.
const KNOWN: &[(&str, &str)] = &[];

fn options(input: &Input) -> Options {
    let profile = match input.profile {
        1 => reportlint::profile::builtin("f2021"),
        2 => reportlint::profile::builtin("f2019"),
        _ => None,
    };
    Options {
        lang: if input.text.len() % 2 == 0 {
            Lang::Zh
        } else {
            Lang::En
        },
        flavour: if input.markdown {
            Flavour::Markdown
        } else {
            Flavour::Plain
        },
        profile,
        default_year: Some(2022),
        ..Options::default()
    }
}

fn save_input(input: &Input) -> (&'static str, Vec<u8>) {
    (
        if input.markdown { "md" } else { "txt" },
        input.text.as_bytes().to_vec(),
    )
}

/// Re-checks smaller texts until none fails the same way.
fn minimize_input(
    input: &Input,
    failure: &Failure,
    check: fn(&Input) -> Result<(), Failure>,
) -> Option<Input> {
    let fails = |text: &str| {
        let candidate = Input {
            text: text.to_string(),
            ..input.clone()
        };
        matches!(guarded(|| check(&candidate)).and_then(|r| r), Err(f) if f.kind == failure.kind)
    };
    let text = harness::minimize_text(&input.text, &fails);
    Some(Input {
        label: format!("{} (minimised)", input.label),
        text,
        ..input.clone()
    })
}

// ---------------------------------------------------------------------------------------------
// Target a: parse and check.

fn valid_range(text: &str, r: TextRange) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fn range_check(text: &str, what: &str, r: TextRange) -> Result<(), Failure> {
    if valid_range(text, r) {
        return Ok(());
    }
    let around = |at: usize| {
        let at = gen::floor(text, at);
        let s = gen::floor(text, at.saturating_sub(12));
        let e = gen::floor(text, (at + 12).min(text.len()));
        format!("{:?}", &text[s..e])
    };
    Err(Failure::new(
        format!("bad range: {what}"),
        format!(
            "{:?} in a text of {} bytes (near {})",
            r,
            text.len(),
            around(r.start)
        ),
    ))
}

/// Every range in a finding, its related places and its fix edits.
fn check_diagnostic_ranges(text: &str, diagnostics: &[Diagnostic]) -> Result<(), Failure> {
    for d in diagnostics {
        range_check(text, &format!("{} range", d.code), d.range)?;
        for r in &d.related {
            range_check(text, &format!("{} related", d.code), r.range)?;
        }
        if let Some(fix) = &d.fix {
            if fix.edits.is_empty() {
                return Err(Failure::new(
                    format!("{} fix without edits", d.code),
                    fix.title.clone(),
                ));
            }
            for e in &fix.edits {
                range_check(text, &format!("{} fix edit", d.code), e.range)?;
            }
            for w in fix.edits.windows(2) {
                if w[0].range.end > w[1].range.start {
                    return Err(Failure::new(
                        format!("{} fix edits overlap", d.code),
                        format!("{:?} and {:?} in “{}”", w[0].range, w[1].range, fix.title),
                    ));
                }
            }
        }
    }
    for w in diagnostics.windows(2) {
        if w[0].range.start > w[1].range.start {
            return Err(Failure::new(
                "findings not sorted by position",
                format!(
                    "{} at {:?} before {} at {:?}",
                    w[0].code, w[0].range, w[1].code, w[1].range
                ),
            ));
        }
    }
    Ok(())
}

/// The model's ranges: the language server slices the text with some of them.
fn check_document_ranges(full: &str, doc: &Document) -> Result<(), Failure> {
    for r in &doc.reports {
        range_check(full, "report", r.abs(r.range))?;
        // Everything inside a report is relative to the report's own text.
        let text = r.text(full);
        if let Some(t) = &r.title {
            range_check(text, "title", t.range)?;
            for l in &t.lines {
                range_check(text, "title line", *l)?;
            }
            if let Some(a) = &t.agency {
                range_check(text, "agency", a.range)?;
            }
            if let Some((_, y)) = &t.year {
                range_check(text, "title year", *y)?;
            }
        }
        if let Some(p) = &r.period {
            range_check(text, "period", p.range)?;
            range_check(text, "period start year", p.start_year_range)?;
        }
        if let Some(y) = &r.year {
            range_check(text, "year", y.range)?;
        }
        for s in &r.sections {
            range_check(text, "section heading", s.heading)?;
            range_check(text, "section title", s.title_range)?;
            range_check(text, "section body", s.body)?;
            if let Some((_, n)) = &s.number {
                range_check(text, "section number", *n)?;
            }
            if let Some(m) = &s.md_marks {
                range_check(text, "section marks", *m)?;
            }
        }
        for h in &r.unknown_headings {
            range_check(text, "unknown heading", h.range)?;
        }
        for p in &r.paragraphs {
            range_check(text, "paragraph", p.range)?;
        }
        for s in &r.subitems {
            range_check(text, "subitem numbering", s.numbering)?;
            range_check(text, "subitem line", s.line)?;
        }
        for t in &r.tables {
            range_check(text, "table", t.range)?;
            let cells = t
                .rows
                .iter()
                .flat_map(|row| {
                    std::iter::once(&row.label)
                        .chain(&row.cells)
                        .chain(&row.raw)
                })
                .chain(t.labels.iter().map(|l| &l.cell))
                .chain(
                    t.group_values
                        .iter()
                        .flat_map(|g| std::iter::once(&g.label).chain(&g.values)),
                )
                .chain(t.unknown_headers.iter())
                .chain(
                    t.unknown_rows
                        .iter()
                        .flat_map(|u| std::iter::once(&u.label).chain(&u.values)),
                )
                .chain(t.orphans.iter())
                .chain(t.foreign.iter());
            for c in cells {
                range_check(text, "cell", c.range)?;
                range_check(text, "cell slot", c.slot)?;
            }
            for row in &t.rows {
                range_check(text, "row", row.range)?;
            }
        }
    }
    Ok(())
}

/// Offsets survive the trip to (line, column) and back in every unit.
fn check_line_index(text: &str, index: &LineIndex, offsets: &[usize]) -> Result<(), Failure> {
    for &offset in offsets {
        if !text.is_char_boundary(offset)
            || (text[..offset].ends_with('\r') && text[offset..].starts_with('\n'))
        {
            continue;
        }
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            let lc = index.line_col(text, offset, unit);
            let back = index.offset(
                text,
                LineCol {
                    line: lc.line,
                    col: lc.col,
                },
                unit,
            );
            // An offset inside a line terminator comes back as the line's end.
            let line_end = index.line_range(text, lc.line as usize).end;
            if back != offset && !(offset > line_end && back == line_end) {
                return Err(Failure::new(
                    "line index round trip",
                    format!("{offset} -> {lc:?} ({unit:?}) -> {back}"),
                ));
            }
        }
    }
    Ok(())
}

fn check_parse(input: &Input) -> Result<(), Failure> {
    let text = input.text.as_str();
    let opts = options(input);
    let a = guarded(|| analyze(text, &opts))?;
    check_diagnostic_ranges(text, &a.diagnostics)?;
    check_document_ranges(text, &a.document)?;
    let index = LineIndex::new(text);
    let mut offsets: Vec<usize> = a
        .diagnostics
        .iter()
        .flat_map(|d| [d.range.start, d.range.end])
        .collect();
    let step = (text.len() / 16).max(1);
    offsets.extend((0..=text.len()).step_by(step).map(|o| gen::floor(text, o)));
    check_line_index(text, &index, &offsets)?;
    guarded(|| {
        let r = Renderer {
            path: "fuzz.txt",
            text,
            index: &index,
            lang: opts.lang,
        };
        for d in &a.diagnostics {
            let _ = r.render(d);
            if let Some(fix) = &d.fix {
                let _ = r.fix_diff(fix);
            }
        }
    })
    .map_err(|f| Failure::new(format!("render: {}", f.kind), f.detail))?;
    guarded(|| dump(text, &a.document))
        .map_err(|f| Failure::new(format!("dump: {}", f.kind), f.detail))?;
    guarded(|| {
        for &o in &offsets {
            if let Some(e) = explain_at(text, &a.document, o, opts.lang) {
                assert!(
                    valid_range(text, e.range),
                    "hover range {:?} of {} bytes",
                    e.range,
                    text.len()
                );
            }
        }
    })
    .map_err(|f| Failure::new(format!("hover: {}", f.kind), f.detail))?;
    Ok(())
}

fn parse_target() -> harness::Target<'static, Input> {
    harness::Target {
        name: "parse_check",
        default_cases: 300,
        save: &save_input,
        minimize: &|v, f| minimize_input(v, f, check_parse),
        known: KNOWN,
    }
}

#[test]
fn fuzz_parse_check() {
    harness::run(parse_target(), gen::inputs(gen::documents()), check_parse);
}

// ---------------------------------------------------------------------------------------------
// Target b: applying fixes.

/// Applies sorted, non-overlapping edits from the back, independently of `reportlint::fix`.
fn apply_independently(text: &str, edits: &[&TextEdit]) -> Result<String, Failure> {
    let mut sorted: Vec<&TextEdit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    for w in sorted.windows(2) {
        let (a, b) = (w[0].range, w[1].range);
        if a.end > b.start || (a.start == b.start && a.is_empty() && b.is_empty()) {
            return Err(Failure::new(
                "applied edits overlap",
                format!("{a:?} and {b:?}"),
            ));
        }
    }
    let mut out = text.to_string();
    for e in sorted.iter().rev() {
        out.replace_range(e.range.as_range(), &e.new_text);
    }
    Ok(out)
}

fn check_applied(text: &str, edits: &[&TextEdit], out: &str, what: &str) -> Result<(), Failure> {
    let want = apply_independently(text, edits)
        .map_err(|f| Failure::new(format!("{what}: {}", f.kind), f.detail))?;
    if want != out {
        return Err(Failure::new(
            format!("{what}: result differs from an independent application"),
            format!("{} bytes vs {} bytes", out.len(), want.len()),
        ));
    }
    if let (Some(first), Some(last)) = (
        edits.iter().map(|e| e.range.start).min(),
        edits.iter().map(|e| e.range.end).max(),
    ) {
        if !out.starts_with(&text[..first]) || !out.ends_with(&text[last..]) {
            return Err(Failure::new(
                format!("{what}: bytes outside the edits changed"),
                String::new(),
            ));
        }
    }
    Ok(())
}

fn check_fixes(input: &Input) -> Result<(), Failure> {
    let text = input.text.as_str();
    let opts = options(input);
    let a = guarded(|| analyze(text, &opts))?;
    check_diagnostic_ranges(text, &a.diagnostics)?;
    for d in &a.diagnostics {
        let Some(fix) = &d.fix else {
            continue;
        };
        let (out, applied) = guarded(|| apply_fixes(text, [fix]))
            .map_err(|f| Failure::new(format!("apply_fixes: {}", f.kind), f.detail))?;
        if applied != [0] {
            return Err(Failure::new(
                format!("{} fix refused when applied alone", d.code),
                fix.title.clone(),
            ));
        }
        let edits: Vec<&TextEdit> = fix.edits.iter().collect();
        check_applied(text, &edits, &out, &format!("{} fix", d.code))?;
        if out == text {
            return Err(Failure::new(
                format!("{} fix changes nothing", d.code),
                fix.title.clone(),
            ));
        }
    }
    let safe: Vec<&Fix> = a
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| f.applicability == Applicability::Safe)
        .collect();
    let every: Vec<&Fix> = a
        .diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .collect();
    for (what, fixes) in [("all safe fixes", safe), ("all fixes", every)] {
        if fixes.is_empty() {
            continue;
        }
        let (edits, applied) = guarded(|| select_fixes(text, fixes.iter().copied()))?;
        let (out, applied_too) = guarded(|| apply_fixes(text, fixes.iter().copied()))?;
        if applied != applied_too {
            return Err(Failure::new(
                format!("{what}: select and apply disagree"),
                format!("{applied:?} vs {applied_too:?}"),
            ));
        }
        // Each fix is taken whole or not at all.
        let taken: usize = applied.iter().map(|&i| fixes[i].edits.len()).sum();
        if taken != edits.len() {
            return Err(Failure::new(
                format!("{what}: a fix was taken in part"),
                format!("{taken} edits in the taken fixes, {} selected", edits.len()),
            ));
        }
        check_applied(text, &edits, &out, what)?;
        let again = guarded(|| analyze(&out, &opts))
            .map_err(|f| Failure::new(format!("after {what}: {}", f.kind), f.detail))?;
        check_diagnostic_ranges(&out, &again.diagnostics)?;
    }
    Ok(())
}

fn fix_target() -> harness::Target<'static, Input> {
    harness::Target {
        name: "fix_apply",
        default_cases: 200,
        save: &save_input,
        minimize: &|v, f| minimize_input(v, f, check_fixes),
        known: KNOWN,
    }
}

#[test]
fn fuzz_fix_apply() {
    harness::run(
        fix_target(),
        gen::inputs(gen::mutated_fixture(6, false)),
        check_fixes,
    );
}

// ---------------------------------------------------------------------------------------------
// Fix safety: a fix removes its finding, adds no error, and is not offered again.

/// Where an offset of the old text is after the edits (sorted, non-overlapping). An offset inside
/// an edit maps to the start (`end == false`) or the end of the new text.
fn map_offset(offset: usize, edits: &[TextEdit], end: bool) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        let grew = e.new_text.len() as isize - e.range.len() as isize;
        if e.range.end < offset || (e.range.end == offset && (!e.range.is_empty() || end)) {
            delta += grew;
            continue;
        }
        if e.range.start < offset || (e.range.start == offset && end && e.range.is_empty()) {
            let base = (e.range.start as isize + delta) as usize;
            return if end { base + e.new_text.len() } else { base };
        }
        break;
    }
    (offset as isize + delta) as usize
}

fn map_range(r: TextRange, edits: &[TextEdit]) -> TextRange {
    let start = map_offset(r.start, edits, false);
    let end = map_offset(r.end, edits, true).max(start);
    TextRange::new(start, end)
}

fn error_counts(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        *out.entry(d.code).or_insert(0) += 1;
    }
    out
}

/// Codes whose fix may leave a finding of the same code at the same place.
///
/// Empty: every fix so far removes its finding. A rule added here needs a reason in FUZZING.md.
const MAY_REMAIN: &[&str] = &[];

/// Findings about the prose's figures, and about the tables' arithmetic.
const PROSE: &[&str] = &[
    "P001", "P002", "P003", "P004", "P005", "P006", "P008", "P010",
];
const LEDGER: &[&str] = &["L001", "L002", "L003", "L004", "L005"];

/// New errors an *unsafe* fix may bring, by the code of the fix; safe fixes may bring none.
///
/// Each follows from the fix having to guess, and is the checker showing the consequence rather
/// than a fault of the fix (FUZZING.md explains them):
/// - P001, P002, P004, P005 set a figure in the prose to the table's: percentages and breakdowns
///   the text computed from its own (old) figure now disagree with it.
/// - L001 to L004 set a total to the sum in one direction; the total also belongs to a sum in
///   another direction, and the prose may quote it.
/// - S001, S004 and T001 insert skeletons whose zeros are placeholders; the prose's figures
///   contradict them.
/// - T002 and T004 rewrite a malformed table: the ledger checks skip a malformed row, so its
///   arithmetic (and the guess where a short row's missing cell was) shows only once it is
///   well-formed.
/// - S001 inserts a placeholder title with this year: the year chooses the format edition, and
///   tables in another edition's shape are then reported (T008).
const CASCADES: &[(&[&str], &[&[&str]])] = &[
    (&["P001", "P002", "P004", "P005"], &[PROSE]),
    (&["L001", "L002", "L003", "L004", "T007"], &[LEDGER, PROSE]),
    (&["S001", "S004", "T001"], &[PROSE, LEDGER]),
    (&["S001"], &[&["T008"]]),
    (&["T002", "T004"], &[LEDGER, PROSE]),
    // A rewrite replaces the lines the table was read from; a row of it that the reader left
    // out (a stray label line after an HTML table) is then read again after the new table.
    (&["T002", "T004"], &[&["T003"]]),
];

/// Findings a *safe* fix may reveal without causing them: T009 only renames a row's label, but
/// the ledger checks skip a row whose label is not read exactly, so that row's arithmetic shows
/// once the label is right (the figures were wrong before the fix). Likewise a fragment renamed
/// to a row the table lacked (T002) makes the row found, and its missing figures (T004) show.
const REVEALS: &[(&str, &[&str])] = &[("T009", LEDGER), ("T009", &["T004"])];

fn may_cascade(
    fix_code: &str,
    applicability: Applicability,
    new_code: &str,
    before: &BTreeMap<&'static str, usize>,
) -> bool {
    if REVEALS
        .iter()
        .any(|(c, codes)| *c == fix_code && codes.contains(&new_code))
    {
        return true;
    }
    // A section inserted into a report whose sections are already out of order is out of order
    // with some of them, wherever it goes.
    if fix_code == "S004" && new_code == "S005" && before.get("S005").is_some_and(|n| *n > 0) {
        return applicability == Applicability::Unsafe;
    }
    applicability == Applicability::Unsafe
        && CASCADES.iter().any(|(fixes, allowed)| {
            fixes.contains(&fix_code) && allowed.iter().any(|family| family.contains(&new_code))
        })
}

/// The message without its figures: a finding whose numbers changed is still the same finding.
fn shape(message: &str) -> String {
    message
        .chars()
        .map(|c| {
            if c.is_ascii_digit() || c == '.' {
                '#'
            } else {
                c
            }
        })
        .collect()
}

/// `n` is the finding `d` again: the same code and message shape, where `d` was (mapped through the fix).
fn same_finding(n: &Diagnostic, d: &Diagnostic, mapped: TextRange) -> bool {
    n.code == d.code && n.range.touches(mapped) && shape(&n.message) == shape(&d.message)
}

/// The checks of one fix, applied alone.
fn check_one_fix(text: &str, a: &Analysis, i: usize, opts: &Options) -> Result<(), Failure> {
    let d = &a.diagnostics[i];
    let fix = d.fix.as_ref().expect("a fix");
    let (fixed, _) = apply_fixes(text, [fix]);
    let after = guarded(|| analyze(&fixed, opts))
        .map_err(|f| Failure::new(format!("after {} fix: {}", d.code, f.kind), f.detail))?;
    let mapped = map_range(d.range, &fix.edits);
    let remaining: Vec<&Diagnostic> = after
        .diagnostics
        .iter()
        .filter(|n| same_finding(n, d, mapped))
        .collect();
    if !remaining.is_empty() && !MAY_REMAIN.contains(&d.code) {
        return Err(Failure::new(
            format!("{} fix does not remove its finding", d.code),
            format!(
                "fix “{}” ({:?}) at {:?}; after it: {:?}",
                fix.title,
                fix.applicability,
                d.range,
                remaining
                    .iter()
                    .map(|n| (&n.message, n.range))
                    .collect::<Vec<_>>()
            ),
        ));
    }
    // Idempotence: a fix offered again at the same place must change nothing.
    for n in &remaining {
        if let Some(again) = &n.fix {
            let (twice, _) = apply_fixes(&fixed, [again]);
            if twice != fixed {
                return Err(Failure::new(
                    format!("{} fix is not idempotent", d.code),
                    format!("“{}” then “{}”", fix.title, again.title),
                ));
            }
        }
    }
    let before = error_counts(&a.diagnostics);
    let now = error_counts(&after.diagnostics);
    for (code, n) in &now {
        let was = before.get(code).copied().unwrap_or(0);
        if *n > was && !may_cascade(d.code, fix.applicability, code, &before) {
            let new_ones: Vec<String> = after
                .diagnostics
                .iter()
                .filter(|x| x.code == *code && x.severity == Severity::Error)
                .map(|x| x.message.clone())
                .collect();
            return Err(Failure::new(
                format!("{} fix adds {code} errors", d.code),
                format!(
                    "fix “{}” ({:?}): {was} -> {n}: {new_ones:?}",
                    fix.title, fix.applicability
                ),
            ));
        }
    }
    Ok(())
}

/// Applying every safe fix together: none overlap, each removes its finding, no error is added,
/// and repeating "fix all" reaches a text with no safe fix left.
fn check_fix_all(text: &str, a: &Analysis, opts: &Options) -> Result<(), Failure> {
    let safe: Vec<(usize, &Fix)> = a
        .diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.fix.as_ref().map(|f| (i, f)))
        .filter(|(_, f)| f.applicability == Applicability::Safe)
        .collect();
    if safe.is_empty() {
        return Ok(());
    }
    let (fixed, applied) = apply_fixes(text, safe.iter().map(|(_, f)| *f));
    let after = guarded(|| analyze(&fixed, opts))?;
    // Edits of all applied fixes, to map positions.
    let mut all_edits: Vec<TextEdit> = applied
        .iter()
        .flat_map(|&k| safe[k].1.edits.clone())
        .collect();
    all_edits.sort_by_key(|e| (e.range.start, e.range.end));
    for &k in &applied {
        let (i, _) = safe[k];
        let d = &a.diagnostics[i];
        let mapped = map_range(d.range, &all_edits);
        if !MAY_REMAIN.contains(&d.code)
            && after.diagnostics.iter().any(|n| same_finding(n, d, mapped))
        {
            return Err(Failure::new(
                format!("fix all: {} finding remains", d.code),
                format!("{} at {:?}", d.message, d.range),
            ));
        }
    }
    let before = error_counts(&a.diagnostics);
    let codes: Vec<&str> = applied
        .iter()
        .map(|&k| a.diagnostics[safe[k].0].code)
        .collect();
    for (code, n) in error_counts(&after.diagnostics) {
        let was = before.get(code).copied().unwrap_or(0);
        // What one of the applied fixes may reveal (see REVEALS).
        let revealed = codes.iter().any(|fix_code| {
            REVEALS
                .iter()
                .any(|(c, found)| c == fix_code && found.contains(&code))
        });
        if n > was && !revealed {
            return Err(Failure::new(
                format!("fix all adds {code} errors"),
                format!("{was} -> {n}"),
            ));
        }
    }
    let mut current = fixed;
    for round in 0..6 {
        let an = analyze(&current, opts);
        let fixes: Vec<&Fix> = an
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .filter(|f| f.applicability == Applicability::Safe)
            .collect();
        if fixes.is_empty() {
            return Ok(());
        }
        let (next, _) = apply_fixes(&current, fixes.iter().copied());
        if next == current {
            return Err(Failure::new(
                "fix all is offered but changes nothing",
                format!(
                    "round {round}: {:?}",
                    fixes.iter().map(|f| &f.title).collect::<Vec<_>>()
                ),
            ));
        }
        current = next;
    }
    Err(Failure::new(
        "fix all does not converge",
        "safe fixes still offered after 6 rounds",
    ))
}

fn check_fix_safety(input: &Input) -> Result<(), Failure> {
    let text = input.text.as_str();
    let opts = options(input);
    let a = guarded(|| analyze(text, &opts))?;
    check_diagnostic_ranges(text, &a.diagnostics)?;
    for i in 0..a.diagnostics.len() {
        if a.diagnostics[i].fix.is_some() {
            check_one_fix(text, &a, i, &opts)?;
        }
    }
    check_fix_all(text, &a, &opts)
}

#[test]
fn fix_safety_over_every_fixture() {
    let mut failures = Vec::new();
    let mut n_fixes = 0;
    let mut known = 0;
    // Every fixture in its own flavour, and every one in the other flavour too.
    for f in gen::fixtures() {
        let own = f.name.ends_with(".md");
        for markdown in [own, !own] {
            let input = Input {
                label: f.name.clone(),
                text: f.text.trim_start_matches('\u{feff}').to_string(),
                markdown,
                profile: 0,
            };
            let a = analyze(&input.text, &options(&input));
            n_fixes += a.diagnostics.iter().filter(|d| d.fix.is_some()).count();
            match guarded(|| check_fix_safety(&input)).and_then(|r| r) {
                Ok(()) => {}
                // Pinned by their own failing tests (the regressions are fixtures too).
                Err(e) if KNOWN.iter().any(|(k, _)| e.kind.starts_with(k)) => known += 1,
                Err(e) => failures.push(format!("{} (markdown: {markdown}): {e}", f.name)),
            }
        }
    }
    if known > 0 {
        eprintln!("fix safety: {known} fixture(s) hit known issues");
    }
    eprintln!(
        "fix safety: {n_fixes} fixes over {} fixtures",
        gen::fixtures().len()
    );
    assert!(
        failures.is_empty(),
        "{} fixtures break fix safety:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn safety_target() -> harness::Target<'static, Input> {
    harness::Target {
        name: "fix_safety",
        default_cases: 120,
        save: &save_input,
        minimize: &|v, f| minimize_input(v, f, check_fix_safety),
        known: KNOWN,
    }
}

#[test]
fn fuzz_fix_safety() {
    harness::run(
        safety_target(),
        gen::inputs(gen::mutated_fixture(4, false)),
        check_fix_safety,
    );
}

// ---------------------------------------------------------------------------------------------
// Regressions: inputs that once broke something, replayed through every check.

#[test]
fn regressions_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    let mut failures = Vec::new();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "txt" | "md") || name == "README.md" {
            continue;
        }
        let bytes = std::fs::read(&p).unwrap();
        for profile in 0..3 {
            let input = Input {
                label: name.clone(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
                markdown: ext == "md",
                profile,
            };
            for (what, check) in [
                (
                    "parse_check",
                    check_parse as fn(&Input) -> Result<(), Failure>,
                ),
                ("fix_apply", check_fixes),
                ("fix_safety", check_fix_safety),
            ] {
                if let Err(e) = guarded(|| check(&input)).and_then(|r| r) {
                    failures.push(format!("{name} ({what}, profile {profile}): {e}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "regressions fail again:\n{}",
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Checks of the checks: the harness itself must catch what it claims to.

#[test]
fn the_harness_sees_overlaps_and_bad_ranges() {
    let text = "合计 10";
    assert!(range_check(text, "x", TextRange::new(1, 3)).is_err());
    assert!(range_check(text, "x", TextRange::new(0, 99)).is_err());
    assert!(range_check(text, "x", TextRange::new(0, 3)).is_ok());
    let a = TextEdit::replace(TextRange::new(0, 3), "x");
    let b = TextEdit::replace(TextRange::new(2, 6), "y");
    assert!(apply_independently(text, &[&a, &b]).is_err());
    let edits = [TextEdit::replace(TextRange::new(2, 4), "abcd")];
    assert_eq!(
        map_range(TextRange::new(5, 6), &edits),
        TextRange::new(7, 8)
    );
    assert_eq!(
        map_range(TextRange::new(3, 4), &edits),
        TextRange::new(2, 6)
    );
    assert_eq!(
        map_range(TextRange::new(0, 1), &edits),
        TextRange::new(0, 1)
    );
    let min = harness::minimize_text("a\nb\nPANIC\nc\n", &|t| t.contains("PANIC"));
    assert_eq!(min, "PANIC");
    let failed = guarded(|| panic!("boom")).unwrap_err();
    assert!(
        failed.kind.starts_with("panic at") && failed.detail == "boom",
        "{failed:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Bugs found by the targets above, pinned as tests. Each fails until its bug is fixed.

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn plain() -> Options {
    Options {
        default_year: Some(2022),
        ..Options::default()
    }
}

/// A report whose heading 二 is missing but whose table 二 is there (read under 一): the fix for
/// the missing section inserts the heading and a second, all-zero copy of the table, and every
/// row of it is then reported as duplicated (T003).
#[test]
fn regression_s004_inserts_a_table_the_report_already_has() {
    let seed = fixture("seeds/000_27b6cab774d2b1c9.txt");
    let text = seed.replace("二、主动公开政府信息情况\n", "");
    assert_ne!(text, seed);
    let opts = plain();
    let a = analyze(&text, &opts);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == "S004")
        .expect("S004 for the missing heading");
    let (fixed, _) = apply_fixes(&text, [d.fix.as_ref().unwrap()]);
    let after = analyze(&fixed, &opts);
    let duplicated: Vec<&str> = after
        .diagnostics
        .iter()
        .filter(|d| d.code == "T003")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        duplicated.is_empty(),
        "the S004 fix duplicated the table: {duplicated:?}"
    );
    let tables = after.document.reports[0]
        .tables
        .iter()
        .filter(|t| t.spec == 0)
        .count();
    assert_eq!(tables, 1, "one table 二 after the fix");
}

/// A cell that is not a count (`2.5`) is reported (T005), and the ledger still adds it up: the
/// L001 fix then offers a total that is not a count either (`23.5`), which T005 reports in
/// turn. Found by `fuzz_fix_safety` with `99999999999999999999.9999999999万元`
/// and `-2147483649` in count tables.
#[test]
fn regression_ledger_fix_offers_a_total_that_is_not_a_count() {
    let pass = fixture("rules/L001_row-total-mismatch/pass.txt");
    let row = "一、本年新收政府信息公开申请数量\t\t\t20\t3\t0\t1\t0\t0\t24";
    assert!(pass.contains(row));
    let opts = plain();
    let mut bad = Vec::new();
    for cell in ["2.5", "-1"] {
        let text = pass.replace(row, &row.replacen("\t3\t", &format!("\t{cell}\t"), 1));
        let a = analyze(&text, &opts);
        let t005 = a.diagnostics.iter().filter(|d| d.code == "T005").count();
        for d in a.diagnostics.iter().filter(|d| d.code.starts_with('L')) {
            let Some(fix) = &d.fix else {
                continue;
            };
            let (fixed, _) = apply_fixes(&text, [fix]);
            let after = analyze(&fixed, &opts);
            let now = after
                .diagnostics
                .iter()
                .filter(|d| d.code == "T005")
                .count();
            if now > t005 {
                bad.push(format!("{cell}: {} “{}”", d.code, fix.title));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "ledger fixes that write a non-count: {bad:?}"
    );
}

/// A pandoc HTML table (`<table><tbody><tr><td>…`) with a row missing: the rewrite (T002, and
/// T004 alike) replaces the `<tr>` lines only and leaves `<table><tbody>` … `</tbody></table>`
/// around the new pipe table, which is then no table at all (T001), and renders as raw text
/// inside an HTML block. Found by `fuzz_fix_safety` (T002 fix adds T001).
#[test]
fn regression_table_rewrite_leaves_the_html_wrapper() {
    let doc = fixture("corpus/md_pandoc_html_tables_2023_dev.md");
    let row = doc
        .lines()
        .find(|l| l.starts_with("<tr><td>2.重复申请</td>"))
        .expect("the row")
        .to_string();
    let text = doc.replace(&format!("{row}\n"), "");
    let opts = Options {
        flavour: Flavour::Markdown,
        ..plain()
    };
    let a = analyze(&text, &opts);
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == "T002")
        .expect("T002 for the missing row");
    let (fixed, _) = apply_fixes(&text, [d.fix.as_ref().expect("a rewrite")]);
    let after = analyze(&fixed, &opts);
    let codes: Vec<&str> = after.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        !codes.contains(&"T001"),
        "the rewritten table is not found: {codes:?}"
    );
    let section = &fixed[fixed.find("## 三、").unwrap()..fixed.find("## 四、").unwrap()];
    assert!(
        !section.contains("<tbody>") || !section.contains("| --- |"),
        "a pipe table inside <table><tbody>:\n{section}"
    );
}

/// T001 inserts the missing table right after the section's heading, with a blank line before
/// it but none after: a sentence that follows the heading is glued to the table. In Markdown a
/// table goes on until a blank line, so the sentence renders as a row of the table; when the
/// line after is a table label (`行政复议`), reportlint itself reads it into the table and
/// reports that the table has no row of figures (T002). The table rewrite of T002 and T004
/// ends the same way: a line of figures after the table joins its data row (T004). Found by
/// `fuzz_fix_safety`.
#[test]
fn regression_t001_glues_the_table_to_the_next_paragraph() {
    let mut glued = Vec::new();
    for (markdown, text) in [
        (
            true,
            "# 某县2022年政府信息公开工作年度报告\n\n## 四、政府信息公开行政复议、行政诉讼情况\n本年度共发生行政复议1件，行政诉讼0件。\n",
        ),
        (
            false,
            "某县2022年政府信息公开工作年度报告\n\n四、政府信息公开行政复议、行政诉讼情况\n本年度共发生行政复议1件，行政诉讼0件。\n",
        ),
    ] {
        let opts = Options {
            flavour: if markdown {
                Flavour::Markdown
            } else {
                Flavour::Plain
            },
            ..plain()
        };
        let a = analyze(text, &opts);
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.code == "T001")
            .expect("T001 for the missing table");
        let (fixed, _) = apply_fixes(text, [d.fix.as_ref().unwrap()]);
        let sentence = fixed.find("本年度共发生").unwrap();
        if !fixed[..sentence].ends_with("\n\n") {
            glued.push(fixed);
        }
    }
    assert!(
        glued.is_empty(),
        "the inserted table runs into the next line:\n{}",
        glued.join("\n----\n")
    );
}

/// A short `（七）总计` row in a pipe table (`|  | （七）总计 |  |  | 8 |`): T007 reports the blank
/// cells it lacks, each at the end of the label, and its fix writes the sum there, into the
/// label (`（七）总计7`): the label is corrupted and the finding stays. A fix for a cell the row
/// does not have should not be offered (T004 reports the short row), or should add the cell.
/// Found by `fuzz_fix_safety` (T007 fix does not remove its finding).
#[test]
fn regression_t007_fix_writes_into_the_row_label() {
    let doc = fixture("corpus/md_blank_slash_zero_2023_stats.md");
    let row = "|  | （七）总计 |  | 7 | 1 | - | 无 | — | － | 8 |";
    assert!(doc.contains(row));
    let text = doc.replace(row, "|  | （七）总计 |  |  | 8 |");
    let opts = Options {
        flavour: Flavour::Markdown,
        ..plain()
    };
    let a = analyze(&text, &opts);
    let mut broken = Vec::new();
    for d in a.diagnostics.iter().filter(|d| d.code == "T007") {
        let Some(fix) = &d.fix else {
            continue;
        };
        let (fixed, _) = apply_fixes(&text, [fix]);
        if !fixed.contains("| （七）总计 |") {
            broken.push(format!("“{}” edits the label", fix.title));
        }
        let after = analyze(&fixed, &opts);
        if after.diagnostics.iter().any(|n| n.message == d.message) {
            broken.push(format!("“{}” leaves “{}”", fix.title, d.message));
        }
    }
    assert!(broken.is_empty(), "{broken:?}");
}
