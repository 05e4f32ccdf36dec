//! From classified lines to reports: titles, sections, sub-items, paragraphs and tables.
//!
//! This stage knows the profile: it matches headings to the profile's sections and table cells
//! to its labels. It is cheap next to reading the text, and it runs over every block each time.

use crate::hash::FastMap;
use std::sync::{Arc, OnceLock};

use crate::pattern::Pattern;

use super::lines::{Block, BlockData, Line, LineKind, RawCell};
use super::normalize::{self, normalize, split_numbering};
use super::table::{self, RunLine};
use super::*;
use crate::profile::{self, Profile};

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// Use this profile for every report instead of choosing one by year.
    pub profile: Option<Arc<Profile>>,
    pub flavour: Flavour,
}

/// A line of the document with absolute positions.
#[derive(Clone, Copy)]
pub(crate) struct FlatLine<'a> {
    pub line: &'a Line,
    pub base: usize,
    /// A blank line (or more) comes before this one.
    pub gap_before: bool,
    /// Inside a code fence or an HTML comment: not part of the report.
    pub hidden: bool,
}

impl FlatLine<'_> {
    pub fn range(&self) -> TextRange {
        self.line.range.shift(self.base)
    }

    pub fn content(&self) -> TextRange {
        self.line.content.shift(self.base)
    }

    pub fn kind(&self) -> LineKind {
        self.line.kind
    }

    pub fn cells(&self) -> impl Iterator<Item = RawCell> + '_ {
        self.line.cells.iter().map(move |c| RawCell {
            content: c.content.shift(self.base),
            slot: c.slot.shift(self.base),
        })
    }

    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.content().as_range()]
    }
}

/// Builds the report model over parsed blocks of `text`.
pub fn build(text: &str, blocks: &[Block], opts: &BuildOptions) -> Document {
    build_cached(text, blocks, opts, &mut BuildCache::default())
}

/// What a build keeps for the next one: each block's line marks, and each report by the
/// blocks it was read from. An edit re-reads only the reports whose blocks it changed.
#[derive(Default)]
pub struct BuildCache {
    /// The splitting profile the marks were made with.
    profile: Option<Arc<Profile>>,
    /// In the order of the document's blocks (each kept alive by its `Arc`, so that its
    /// address stays its own).
    marks: Vec<BlockMarks>,
    reports: FastMap<SpanKey, ReportAt>,
    /// How many reports the last build reused.
    pub reused: usize,
}

/// A block, kept alive so that its address stays its own, and the marks of its lines.
type BlockMarks = (Arc<BlockData>, BlockLineMarks);

/// The marks of a block's lines, and whether any line has each: most blocks have neither, and
/// splitting a large document into reports passes over them without reading their lines.
#[derive(Clone)]
pub(crate) struct BlockLineMarks {
    lines: Arc<[LineMarks]>,
    title_ends: bool,
    sections: bool,
    /// The block's `plain` (no fence or comment mark), kept here so that a keystroke need not
    /// read every block.
    plain: bool,
}

/// A report's lines, identified by the blocks they come from: the same key means the same
/// text (blocks are shared only while their text is unchanged).
#[derive(Clone, PartialEq, Eq, Hash)]
struct SpanKey {
    /// Each block (address) and where it starts, from the report's offset.
    blocks: Vec<(usize, usize)>,
    /// The first line's index in the first block, the line count.
    first_line: usize,
    lines: usize,
    title: Option<std::ops::Range<usize>>,
    /// Whether the first line is in a code fence or comment, which later lines follow from.
    hidden: bool,
}

/// Builds the report model, reusing from `cache` every report whose text did not change.
pub fn build_cached(
    text: &str,
    blocks: &[Block],
    opts: &BuildOptions,
    cache: &mut BuildCache,
) -> Document {
    let splitting_profile = opts
        .profile
        .clone()
        .unwrap_or_else(|| profile::builtins()[0].clone());
    if cache
        .profile
        .as_ref()
        .is_none_or(|p| !Arc::ptr_eq(p, &splitting_profile))
    {
        *cache = BuildCache {
            profile: Some(splitting_profile.clone()),
            ..BuildCache::default()
        };
    }
    let lines = flatten(text, blocks);
    // The lines that end like a title and those that name a section, from each block's marks
    // (computed once per block). An edit replaces a few blocks and keeps the others in order:
    // the old marks are matched in one pass.
    let old_marks = std::mem::take(&mut cache.marks);
    let mut next_old = 0;
    let mut title_lines: Vec<usize> = Vec::new();
    let mut section_lines: Vec<usize> = Vec::new();
    // Where each block's lines start, to find the block of a line.
    let mut first_lines: Vec<usize> = Vec::with_capacity(blocks.len());
    let mut previous_lines = 0;
    let mut has_comments = false;
    for block in blocks {
        const LOOK_AHEAD: usize = 16;
        let found = old_marks[next_old.min(old_marks.len())..]
            .iter()
            .take(LOOK_AHEAD)
            .position(|(data, _)| Arc::ptr_eq(data, &block.data));
        let entry = match found {
            Some(i) => {
                next_old += i + 1;
                old_marks[next_old - 1].clone()
            }
            None => {
                let computed: Arc<[LineMarks]> = block
                    .data
                    .lines
                    .iter()
                    .map(|line| {
                        let flat = FlatLine {
                            line,
                            base: block.start,
                            gap_before: false,
                            hidden: false,
                        };
                        line_marks(text, &flat, &splitting_profile)
                    })
                    .collect();
                let marks = BlockLineMarks {
                    title_ends: computed.iter().any(|m| m.title_end),
                    sections: computed.iter().any(|m| m.section),
                    plain: block.data.plain,
                    lines: computed,
                };
                (block.data.clone(), marks)
            }
        };
        let first = first_lines.last().map_or(0, |&f| f + previous_lines);
        let marks = &entry.1;
        first_lines.push(first);
        if marks.title_ends {
            let found = marks.lines.iter().enumerate().filter(|(_, m)| m.title_end);
            title_lines.extend(found.map(|(k, _)| first + k));
        }
        if marks.sections {
            let found = marks.lines.iter().enumerate().filter(|(_, m)| m.section);
            section_lines.extend(found.map(|(k, _)| first + k));
        }
        previous_lines = marks.lines.len();
        has_comments |= !marks.plain;
        cache.marks.push(entry);
    }
    drop(old_marks);
    let spans = split_reports(
        text,
        &lines,
        &title_lines,
        &section_lines,
        &splitting_profile,
    );
    let block_of = |line: usize| {
        let b = first_lines.partition_point(|&f| f <= line) - 1;
        (b, line - first_lines[b])
    };
    let mut old_reports = std::mem::take(&mut cache.reports);
    cache.reports.reserve(spans.len());
    cache.reused = 0;
    let reports = spans
        .into_iter()
        .map(|span| {
            let span_lines = &lines[span.lines.clone()];
            let Some(first) = span_lines.first() else {
                return place_report(text, span_lines, span.title, opts);
            };
            let offset = first.base;
            let (first_block, first_line) = block_of(span.lines.start);
            let last_block = block_of(span.lines.end - 1).0;
            let key = SpanKey {
                blocks: blocks[first_block..=last_block]
                    .iter()
                    .map(|b| (Arc::as_ptr(&b.data) as usize, b.start - offset))
                    .collect(),
                first_line,
                lines: span_lines.len(),
                title: span.title.clone(),
                hidden: first.hidden,
            };
            let placed = match old_reports.remove(&key) {
                Some(old) => {
                    cache.reused += 1;
                    ReportAt {
                        offset,
                        report: old.report,
                    }
                }
                None => place_report(text, span_lines, span.title, opts),
            };
            cache.reports.insert(key, placed.clone());
            placed
        })
        .collect();
    Document {
        flavour: opts.flavour,
        reports,
        has_comments,
    }
}

/// Builds a report whose positions count from the start of its first line's block.
fn place_report(
    text: &str,
    lines: &[FlatLine],
    title: Option<std::ops::Range<usize>>,
    opts: &BuildOptions,
) -> ReportAt {
    let offset = lines.first().map_or(0, |l| l.base);
    let end = lines.last().map_or(offset, |l| l.range().end);
    let local: Vec<FlatLine> = lines
        .iter()
        .map(|l| FlatLine {
            base: l.base - offset,
            ..*l
        })
        .collect();
    ReportAt {
        offset,
        report: Arc::new(build_report(&text[offset..end], &local, title, opts)),
    }
}

/// What splitting a document into reports needs to know of a line, whatever comes before it.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LineMarks {
    /// A heading that names a section of the format.
    section: bool,
    /// A short line that ends like a title (`…年度报告`).
    title_end: bool,
}

fn line_marks(text: &str, line: &FlatLine, profile: &Profile) -> LineMarks {
    let section =
        heading_candidate(text, line).is_some_and(|h| match_section(profile, &h).is_some());
    let title_end = is_title_shape(text, line) && may_end_like_title(line.text(text), profile) && {
        let norm = strip_emphasis(&normalize(line.text(text)));
        let ends_like_title =
            norm.ends_with(&profile.title.suffix_normalized) || norm.ends_with("年度报告");
        ends_like_title && !norm.contains('。')
    };
    LineMarks { section, title_end }
}

/// False when `raw` cannot normalise to a text ending like a title: it lacks the last
/// character of both endings, when that is one normalising keeps as it is.
fn may_end_like_title(raw: &str, profile: &Profile) -> bool {
    let suffix_last = profile.title.suffix_normalized.chars().last();
    match suffix_last {
        Some(c) if normalize::kept_as_is(c) => raw.contains(c) || raw.contains('告'),
        _ => true,
    }
}

fn flatten<'a>(text: &str, blocks: &'a [Block]) -> Vec<FlatLine<'a>> {
    let mut out = Vec::with_capacity(blocks.iter().map(|b| b.data.lines.len()).sum());
    let mut in_fence = false;
    let mut in_comment = false;
    for block in blocks {
        if block.data.plain && !in_comment {
            // Nothing in the block changes what is hidden: its lines need not be read.
            out.extend(
                block
                    .data
                    .lines
                    .iter()
                    .enumerate()
                    .map(|(i, line)| FlatLine {
                        line,
                        base: block.start,
                        gap_before: i == 0,
                        hidden: in_fence,
                    }),
            );
            continue;
        }
        for (i, line) in block.data.lines.iter().enumerate() {
            let mut flat = FlatLine {
                line,
                base: block.start,
                gap_before: i == 0,
                hidden: in_fence || in_comment,
            };
            let content = flat.text(text);
            if line.kind == LineKind::Fence {
                in_fence = !in_fence;
                flat.hidden = true;
            } else if !in_fence && line.kind == LineKind::Text {
                if in_comment {
                    if content.contains("-->") {
                        in_comment = false;
                    }
                } else if content.starts_with("<!--") {
                    flat.hidden = true;
                    in_comment = !content.contains("-->");
                }
            }
            out.push(flat);
        }
    }
    out
}

/// The lines of one report and its title lines (indexes into them).
struct ReportSpan {
    lines: std::ops::Range<usize>,
    title: Option<std::ops::Range<usize>>,
}

/// Splits the lines into reports: a title starts a new report when a section heading has come
/// since the last report started and another follows the title (before the next title).
/// `title_lines` and `section_lines` are the lines marked so (ascending, hidden ones too): the
/// split looks at those alone, not at every line.
fn split_reports(
    text: &str,
    lines: &[FlatLine],
    title_lines: &[usize],
    section_lines: &[usize],
    profile: &Profile,
) -> Vec<ReportSpan> {
    let titles: Vec<std::ops::Range<usize>> = title_candidates(text, lines, title_lines, profile);
    let sections: Vec<usize> = section_lines
        .iter()
        .copied()
        .filter(|&i| !lines[i].hidden)
        .collect();
    // Whether a section heading is among lines `a..b`.
    let any_section = |a: usize, b: usize| {
        let from = sections.partition_point(|&s| s < a);
        sections.get(from).is_some_and(|&s| s < b)
    };
    let mut spans = vec![ReportSpan {
        lines: 0..lines.len(),
        title: None,
    }];
    // Section headings from this line on count as seen in the current report.
    let mut seen_from = 0;
    for (k, t) in titles.iter().enumerate() {
        let last = t.end - 1;
        let current = spans.last_mut().expect("there is always a report");
        if !any_section(seen_from, last) {
            if current.title.is_none() {
                current.title = Some(t.clone());
            }
        } else {
            let upto = titles.get(k + 1).map_or(lines.len(), |n| n.start);
            if any_section(t.end, upto.max(t.end)) {
                current.lines.end = t.start;
                spans.push(ReportSpan {
                    lines: t.start..lines.len(),
                    title: Some(t.clone()),
                });
                seen_from = last;
            }
        }
    }
    // Make title ranges relative to their report's lines.
    for span in &mut spans {
        if let Some(t) = &mut span.title {
            *t = (t.start - span.lines.start)..(t.end - span.lines.start);
        }
    }
    spans
}

const TITLE_MAX_CHARS: usize = 60;

/// Lines that make a title: one ending in `…年度报告`, joined with the line before it when the
/// title is split (the agency on one line and the year on the next, or a break mid-word).
fn title_candidates(
    text: &str,
    lines: &[FlatLine],
    title_lines: &[usize],
    profile: &Profile,
) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for &i in title_lines {
        let line = &lines[i];
        if line.hidden {
            continue;
        }
        let norm = strip_emphasis(&normalize(line.text(text)));
        let mut start = i;
        let year = year_in(&norm);
        // The agency may be on the line before: when the year starts this line and nothing
        // but the suffix follows it, or when this line has no year at all.
        let needs_previous = match find_year(&norm) {
            None => true,
            Some(y) => {
                let after = norm[y.start + y.written.len()..]
                    .trim_start_matches('年')
                    .trim_start_matches('度');
                y.start == 0 && after == profile.title.suffix_normalized
            }
        };
        if needs_previous && i > 0 && out.last().is_none_or(|r| r.end < i) {
            let prev = &lines[i - 1];
            let prev_norm = strip_emphasis(&normalize(prev.text(text)));
            let fits = is_title_line(text, prev)
                && heading_candidate(text, prev)
                    .is_none_or(|h| match_section(profile, &h).is_none())
                && match year {
                    None => year_in(&prev_norm).is_some(),
                    Some(_) => {
                        !prev_norm.contains(|c: char| c.is_ascii_digit())
                            && !prev_norm.ends_with('日')
                    }
                };
            if fits {
                start = i - 1;
            }
        }
        if year.is_none() && start == i {
            // `…年度报告` with no year anywhere is a title only at the top of the document.
            if lines[..i].iter().filter(|l| !l.hidden).nth(2).is_some() {
                continue;
            }
        }
        out.push(start..i + 1);
    }
    out
}

fn is_title_line(text: &str, line: &FlatLine) -> bool {
    !line.hidden && is_title_shape(text, line)
}

fn is_title_shape(text: &str, line: &FlatLine) -> bool {
    matches!(line.kind(), LineKind::Text | LineKind::MdHeading(_))
        && normalize::at_most_chars(line.text(text), TITLE_MAX_CHARS)
}

fn strip_emphasis(s: &str) -> String {
    s.trim_matches(|c| c == '*' || c == '_').to_string()
}

/// A year written in a title: where it starts, the text that writes it, and its value.
struct YearAt<'a> {
    start: usize,
    written: &'a str,
    value: u16,
}

/// The first year in a normalised title: `2021年`, or in Chinese numerals `二〇二一年`.
fn find_year(norm: &str) -> Option<YearAt<'_>> {
    static RE: OnceLock<Pattern> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Pattern::fixed(r"((?:19|20)[0-9]{2}|[一二][〇零○一二三四五六七八九]{3})年")
    });
    let caps = re.captures(norm)?;
    let m = caps.get(1)?;
    let written = &norm[m.clone()];
    let value = written.parse::<u16>().ok().or_else(|| {
        written.chars().try_fold(0u16, |acc, c| {
            Some(acc * 10 + super::normalize::chinese_digit(c)? as u16)
        })
    })?;
    Some(YearAt {
        start: m.start,
        written,
        value,
    })
}

fn year_in(norm: &str) -> Option<usize> {
    find_year(norm).map(|y| y.start)
}

/// A heading as written: its numbering, title and Markdown level.
pub(crate) struct HeadingCandidate {
    pub number: Option<(u32, TextRange)>,
    pub title: String,
    pub title_range: TextRange,
    pub md_level: Option<u8>,
    pub md_marks: Option<TextRange>,
}

const HEADING_MAX_CHARS: usize = 40;

/// Reads a line as a heading: a Markdown heading, or a short text line numbered `一、`.
pub(crate) fn heading_candidate(text: &str, line: &FlatLine) -> Option<HeadingCandidate> {
    let (md_level, md_marks) = match line.kind() {
        LineKind::MdHeading(level) => {
            let r = line.range();
            let marks_start = r.start + text[r.as_range()].find('#').unwrap_or(0);
            (
                Some(level),
                Some(TextRange::new(marks_start, marks_start + level as usize)),
            )
        }
        LineKind::Text => (None, None),
        _ => return None,
    };
    let content = line.content();
    let raw = &text[content.as_range()];
    if raw.is_empty() || (md_level.is_none() && !normalize::at_most_chars(raw, HEADING_MAX_CHARS)) {
        return None;
    }
    // Skip emphasis marks around the heading text.
    let lead = raw.len() - raw.trim_start_matches(['*', '_']).len();
    let inner = raw.trim_matches(['*', '_']);
    let inner_start = content.start + lead;
    let (number, rest_offset) = leading_section_number(inner);
    let number = number.map(|(n, len)| (n, TextRange::new(inner_start, inner_start + len)));
    let rest = &inner[rest_offset..];
    let rest_trimmed = rest.trim_start_matches(|c: char| normalize::is_space(c));
    let title_start = inner_start + rest_offset + (rest.len() - rest_trimmed.len());
    let title_text = rest_trimmed.trim_end_matches(|c: char| {
        normalize::is_space(c) || matches!(c, '。' | '：' | ':' | '.' | '；')
    });
    let title = normalize(title_text);
    if title.is_empty() {
        return None;
    }
    Some(HeadingCandidate {
        number,
        title,
        title_range: TextRange::new(title_start, title_start + title_text.len()),
        md_level,
        md_marks,
    })
}

/// `一、` `二．` `三.` `第四部分`: the numeral and the byte length of the numbering.
fn leading_section_number(s: &str) -> (Option<(u32, usize)>, usize) {
    let numeral_len: usize = s
        .chars()
        .take_while(|c| {
            matches!(
                c,
                '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
            )
        })
        .map(char::len_utf8)
        .sum();
    if let Some(rest) = s.strip_prefix('第') {
        let n_len: usize = rest
            .chars()
            .take_while(|c| {
                matches!(
                    c,
                    '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
                )
            })
            .map(char::len_utf8)
            .sum();
        if n_len > 0 && rest[n_len..].starts_with("部分") {
            let n = normalize::chinese_number(&rest[..n_len]);
            let len = '第'.len_utf8() + n_len + "部分".len();
            let after = &s[len..];
            let sep = after
                .chars()
                .next()
                .filter(|c| matches!(c, '、' | '：' | ':' | ' ' | '\u{3000}'));
            let len = len + sep.map_or(0, char::len_utf8);
            return (n.map(|n| (n, len)), len);
        }
    }
    if numeral_len == 0 {
        return (None, 0);
    }
    let after = &s[numeral_len..];
    let sep = after
        .chars()
        .next()
        .filter(|c| matches!(c, '、' | '.' | '．' | '，' | ','));
    match (sep, normalize::chinese_number(&s[..numeral_len])) {
        (Some(sep), Some(n)) => {
            let len = numeral_len + sep.len_utf8();
            (Some((n, len)), len)
        }
        _ => (None, 0),
    }
}

/// The section a heading names, and how well.
pub(crate) fn match_section(
    profile: &Profile,
    h: &HeadingCandidate,
) -> Option<(usize, TitleMatch)> {
    if is_table_label(profile, h) {
        return None;
    }
    for (i, s) in profile.sections.iter().enumerate() {
        if h.title == s.norm_title {
            return Some((i, TitleMatch::Canonical));
        }
    }
    for (i, s) in profile.sections.iter().enumerate() {
        if s.norm_variants.contains(&h.title) {
            return Some((i, TitleMatch::Variant));
        }
    }
    // Keywords need numbering or a Markdown heading: a bare line is too weak a signal, and a
    // heading numbered `（一）` or `1.` is a sub-item.
    if h.number.is_none() && (h.md_level.is_none() || split_numbering(&h.title).0.is_some()) {
        return None;
    }
    let mut best: Option<(usize, usize, bool)> = None;
    for (i, s) in profile.sections.iter().enumerate() {
        let hit = s
            .keywords
            .iter()
            .filter(|words| words.iter().all(|w| h.title.contains(w.as_str())))
            .map(|words| words.iter().map(|w| w.chars().count()).sum::<usize>())
            .max();
        if let Some(weight) = hit {
            let numbered_here = h.number.is_some_and(|(n, _)| n as usize == i + 1);
            let better = match best {
                None => true,
                Some((_, w, num)) => (numbered_here, weight) > (num, w),
            };
            if better {
                best = Some((i, weight, numbered_here));
            }
        }
    }
    best.map(|(i, _, _)| (i, TitleMatch::Keywords))
}

/// True when the whole heading text is a table label, such as `一、本年新收政府信息公开申请数量`.
fn is_table_label(profile: &Profile, h: &HeadingCandidate) -> bool {
    let with_number = match h.number {
        Some((n, _)) => format!("{}、{}", normalize::chinese_numeral(n), h.title),
        None => h.title.clone(),
    };
    (profile.label_tables(&with_number).row_or_group | profile.label_tables(&h.title).row_or_group)
        != 0
}

fn build_report(
    text: &str,
    lines: &[FlatLine],
    title_lines: Option<std::ops::Range<usize>>,
    opts: &BuildOptions,
) -> Report {
    let range = match (lines.first(), lines.last()) {
        (Some(f), Some(l)) => TextRange::new(f.range().start, l.range().end),
        _ => TextRange::empty(0),
    };
    let title_profile = opts
        .profile
        .clone()
        .unwrap_or_else(|| profile::builtins()[0].clone());
    let title = title_lines
        .clone()
        .map(|r| read_title(text, &lines[r], &title_profile));
    let period = find_period(text, lines);
    let year = title
        .as_ref()
        .and_then(|t| t.year)
        .map(|(value, range)| Year {
            value,
            range,
            source: YearSource::Title,
        })
        .or_else(|| {
            period.as_ref().map(|p| Year {
                value: p.start_year,
                range: p.start_year_range,
                source: YearSource::Period,
            })
        })
        .or_else(|| find_year_end(text, lines));
    let (profile, choice) = match (&opts.profile, year) {
        (Some(p), _) => (p.clone(), ProfileChoice::Forced),
        (None, Some(y)) => (profile::for_year(y.value), ProfileChoice::Year),
        (None, None) => (
            choose_by_tables(text, lines, title_lines.clone()),
            ProfileChoice::Tables,
        ),
    };
    let mut report = Report {
        range,
        profile: profile.clone(),
        profile_choice: choice,
        title,
        period,
        year,
        sections: Vec::new(),
        unknown_headings: Vec::new(),
        tables: Vec::new(),
        paragraphs: Vec::new(),
        subitems: Vec::new(),
        signature: None,
    };
    fill_body(text, lines, title_lines, &profile, &mut report);
    report
}

/// With no year to go by, the built-in profile whose labels the tables use most.
fn choose_by_tables(
    text: &str,
    lines: &[FlatLine],
    title: Option<std::ops::Range<usize>>,
) -> Arc<Profile> {
    let all = profile::builtins();
    let mut best = (all[0].clone(), 0usize);
    for p in all {
        let mut trial = Report {
            range: TextRange::empty(0),
            profile: p.clone(),
            profile_choice: ProfileChoice::Tables,
            title: None,
            period: None,
            year: None,
            sections: Vec::new(),
            unknown_headings: Vec::new(),
            tables: Vec::new(),
            paragraphs: Vec::new(),
            subitems: Vec::new(),
            signature: None,
        };
        fill_body(text, lines, title.clone(), p, &mut trial);
        let score = trial
            .tables
            .iter()
            .map(table::recognised_cells)
            .sum::<usize>();
        if score > best.1 {
            best = (p.clone(), score);
        }
    }
    best.0
}

fn read_title(text: &str, lines: &[FlatLine], profile: &Profile) -> Title {
    let joined: String = lines
        .iter()
        .map(|l| strip_emphasis(&normalize(l.text(text))))
        .collect();
    let first = lines[0].content();
    let last = lines[lines.len() - 1].content();
    let md_level = lines.iter().find_map(|l| match l.kind() {
        LineKind::MdHeading(level) => Some(level),
        _ => None,
    });
    let (agency, year, rest) = match find_year(&joined) {
        Some(y) => {
            let after = joined[y.start + y.written.len()..]
                .trim_start_matches('年')
                .trim_start_matches('度')
                .to_string();
            let year_range = find_in_lines(text, lines, y.written).unwrap_or(first);
            let suffix = &profile.title.suffix_normalized;
            // The agency stands before the year, or (`2023年度某区人民政府政府信息公开…`) after it.
            let (agency, rest) = match (
                joined[..y.start].is_empty(),
                after.strip_suffix(suffix.as_str()),
            ) {
                (true, Some(between)) if !between.is_empty() => {
                    (between.to_string(), suffix.to_string())
                }
                _ => (joined[..y.start].to_string(), after),
            };
            let agency_range = if agency.is_empty() {
                None
            } else {
                let first_char = agency.chars().next().map(String::from).unwrap_or_default();
                let found = if joined[..y.start].is_empty() {
                    lines.iter().find_map(|l| {
                        let c = l.content();
                        let from = year_range.end.clamp(c.start, c.end);
                        text[from..c.end].find(&first_char).map(|i| from + i)
                    })
                } else {
                    find_in_lines(text, lines, &first_char).map(|r| r.start)
                };
                Some(found.map_or(first, |start| {
                    let end = if start < year_range.start {
                        year_range.start
                    } else {
                        text[start..last.end]
                            .find(profile.title.suffix.as_str())
                            .map_or(last.end, |i| start + i)
                    };
                    TextRange::new(start, end.max(start))
                }))
            };
            (
                agency_range.map(|range| Agency {
                    name: agency,
                    range,
                }),
                Some((y.value, year_range)),
                rest,
            )
        }
        None => (None, None, joined.clone()),
    };
    Title {
        range: TextRange::new(first.start, last.end),
        lines: lines.iter().map(FlatLine::content).collect(),
        text: joined,
        agency,
        year,
        rest,
        md_level,
    }
}

/// The range of the first occurrence of `needle` in the lines' raw text.
fn find_in_lines(text: &str, lines: &[FlatLine], needle: &str) -> Option<TextRange> {
    if needle.is_empty() {
        return None;
    }
    lines.iter().find_map(|l| {
        let c = l.content();
        text[c.as_range()]
            .find(needle)
            .map(|i| TextRange::new(c.start + i, c.start + i + needle.len()))
    })
}

fn period_regex() -> &'static Pattern {
    static RE: OnceLock<Pattern> = OnceLock::new();
    RE.get_or_init(|| {
        Pattern::fixed(
            r"((?:19|20)[0-9０-９]{2})\s*年\s*0?1\s*月\s*0?1\s*日[^。；;\n]{0,6}?(?:至|到|—|－|-|~|～)\s*(?:((?:19|20)[0-9０-９]{2})\s*年\s*)?12\s*月\s*31\s*日",
        )
    })
}

fn find_period(text: &str, lines: &[FlatLine]) -> Option<Period> {
    lines
        .iter()
        .filter(|l| !l.hidden && l.kind() == LineKind::Text)
        .find_map(|l| {
            let c = l.content();
            let line = &text[c.as_range()];
            let caps = period_regex().captures(line)?;
            let whole = caps.get(0)?;
            let start = caps.get(1)?;
            Some(Period {
                range: TextRange::new(c.start + whole.start, c.start + whole.end),
                start_year: line[start.clone()].parse().ok()?,
                start_year_range: TextRange::new(c.start + start.start, c.start + start.end),
                end_year: caps.get(2).and_then(|m| line[m].parse().ok()),
            })
        })
}

fn find_year_end(text: &str, lines: &[FlatLine]) -> Option<Year> {
    static RE: OnceLock<Pattern> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Pattern::fixed(r"截[至止]\s*((?:19|20)[0-9０-９]{2})\s*年\s*12\s*月\s*31\s*日")
    });
    lines
        .iter()
        .filter(|l| !l.hidden && l.kind() == LineKind::Text)
        .find_map(|l| {
            let c = l.content();
            let line = &text[c.as_range()];
            let m = re.captures(line)?.get(1)?;
            Some(Year {
                value: line[m.clone()].parse().ok()?,
                range: TextRange::new(c.start + m.start, c.start + m.end),
                source: YearSource::YearEnd,
            })
        })
}

/// What each line of a report is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Hidden,
    Title,
    Heading,
    Table,
    Prose,
}

fn fill_body(
    text: &str,
    lines: &[FlatLine],
    title: Option<std::ops::Range<usize>>,
    profile: &Profile,
    report: &mut Report,
) {
    let mut roles: Vec<Role> = lines
        .iter()
        .map(|l| if l.hidden { Role::Hidden } else { Role::Prose })
        .collect();
    if let Some(t) = title {
        roles[t].fill(Role::Title);
    }
    // Headings.
    for (i, line) in lines.iter().enumerate() {
        if roles[i] != Role::Prose {
            continue;
        }
        let Some(h) = heading_candidate(text, line) else {
            continue;
        };
        match match_section(profile, &h) {
            Some((spec, quality)) => {
                roles[i] = Role::Heading;
                report.sections.push(Section {
                    spec,
                    heading: line.range(),
                    number: h.number,
                    title: h.title,
                    title_range: h.title_range,
                    quality,
                    md_level: h.md_level,
                    md_marks: h.md_marks,
                    body: TextRange::empty(line.range().end),
                });
            }
            None => {
                let numbered_short = h.number.is_some() && h.title.chars().count() <= 25;
                if numbered_short
                    && !is_table_label(profile, &h)
                    && !looks_like_table_line(text, line, profile)
                {
                    roles[i] = Role::Heading;
                    report.unknown_headings.push(Heading {
                        range: line.range(),
                        number: h.number.map(|(n, _)| n),
                        title: h.title,
                        md_level: h.md_level,
                    });
                }
            }
        }
    }
    // Table runs.
    let runs = table::find_runs(
        text,
        lines,
        &roles.iter().map(|r| *r == Role::Prose).collect::<Vec<_>>(),
        profile,
    );
    for run in runs {
        let run_lines: Vec<RunLine> = run
            .lines
            .iter()
            .map(|&i| RunLine { line: lines[i] })
            .collect();
        let tables = table::parse_run(text, &run_lines, profile);
        // Lines that make no table of the format stay prose.
        if !tables.is_empty() {
            for &i in &run.lines {
                roles[i] = Role::Table;
            }
        }
        for mut t in tables {
            t.section = report.section_at(t.range.start);
            let spec = &profile.tables[t.spec];
            match report
                .tables
                .iter_mut()
                .find(|existing| existing.spec == t.spec)
            {
                Some(existing) => table::merge(existing, t, spec),
                None => report.tables.push(t),
            }
        }
    }
    // Section bodies.
    let end = report.range.end;
    for i in 0..report.sections.len() {
        let body_end = report.sections.get(i + 1).map_or(end, |n| n.heading.start);
        let start = report.sections[i].heading.end;
        report.sections[i].body = TextRange::new(start, body_end.max(start));
    }
    // Paragraphs and sub-items.
    for (i, line) in lines.iter().enumerate() {
        if roles[i] != Role::Prose {
            continue;
        }
        let content = line.content();
        if content.is_empty() {
            continue;
        }
        let section = report.section_at(content.start);
        let raw = &text[content.as_range()];
        if let Some((number, len)) = leading_subitem(raw) {
            report.subitems.push(SubItem {
                number,
                numbering: TextRange::new(content.start, content.start + len),
                line: content,
                section,
            });
        }
        if line.kind() == LineKind::Text {
            report.paragraphs.push(Paragraph {
                range: content,
                section,
            });
        }
    }
    report.signature = find_signature(text, lines, &roles);
}

/// The signature: a date on a line of its own (or after the agency) among the last lines of
/// prose, with the agency on the line before; else such a date right under the title.
fn find_signature(text: &str, lines: &[FlatLine], roles: &[Role]) -> Option<Signature> {
    let prose: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            roles[i] == Role::Prose
                && lines[i].kind() == LineKind::Text
                && !lines[i].content().is_empty()
        })
        .collect();
    let after_last_heading = roles.iter().rposition(|r| *r == Role::Heading);
    let tail = prose
        .iter()
        .rev()
        .take(6)
        .filter(|&&i| after_last_heading.is_none_or(|h| i > h));
    let title_end = roles.iter().rposition(|r| *r == Role::Title);
    let head = prose
        .iter()
        .filter(|&&i| title_end.is_some_and(|t| i > t))
        .take(2);
    for &i in tail.chain(head) {
        let content = lines[i].content();
        let raw = &text[content.as_range()];
        let Some((date, before)) = read_date_line(raw, content.start) else {
            continue;
        };
        let agency = if before.is_empty() {
            prose
                .iter()
                .rev()
                .find(|&&j| j < i)
                .filter(|&&j| j + 3 > i)
                .and_then(|&j| agency_line(text, lines[j].content()))
        } else {
            agency_line(text, before)
        };
        return Some(Signature { agency, date });
    }
    None
}

/// A line that is a date, or an agency followed by a date: the date and the range before it.
fn read_date_line(raw: &str, base: usize) -> Option<(SignDate, TextRange)> {
    static RE: OnceLock<Pattern> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Pattern::fixed(
                        r"(?:^|[\s　（(])((?:19|20)[0-9]{2}|[〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*([0-9]{1,2}|[一二三四五六七八九十廿卅]{1,3})\s*日\s*[）)]?\s*$",
        )
    });
    let trimmed = raw.trim_end_matches(normalize::is_space);
    let ascii: String = trimmed
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    // Full-width digits are three bytes, ASCII one: positions are mapped back by characters.
    let caps = re.captures(&ascii)?;
    // From the year to 日, without a closing bracket.
    let day_end = caps.get(3)?.end;
    let whole = caps.get(1)?.start..day_end + ascii[day_end..].find('日')? + '日'.len_utf8();
    let year = read_year(&ascii[caps.get(1)?])?;
    let month = read_small(&ascii[caps.get(2)?]).filter(|m| (1..=12).contains(m))?;
    let day = read_small(&ascii[caps.get(3)?]).filter(|d| (1..=31).contains(d))?;
    let to_raw = |ascii_at: usize| -> usize {
        let chars = ascii[..ascii_at].chars().count();
        trimmed
            .char_indices()
            .nth(chars)
            .map_or(trimmed.len(), |(i, _)| i)
    };
    let (start, end) = (to_raw(whole.start), to_raw(whole.end));
    let before = raw[..start].trim_end_matches(normalize::is_space);
    let lead = before.len() - before.trim_start_matches(normalize::is_space).len();
    Some((
        SignDate {
            year,
            month: month as u8,
            day: day as u8,
            range: TextRange::new(base + start, base + end),
        },
        TextRange::new(base + lead, base + before.len().max(lead)),
    ))
}

fn read_year(s: &str) -> Option<u16> {
    if let Ok(y) = s.parse() {
        return Some(y);
    }
    s.chars().try_fold(0u16, |acc, c| {
        let d = match c {
            '〇' | '零' | '○' | 'Ｏ' => 0,
            c => normalize::chinese_number(&c.to_string())? as u16,
        };
        Some(acc * 10 + d)
    })
}

fn read_small(s: &str) -> Option<u32> {
    s.parse().ok().or_else(|| {
        let s = s.replace('廿', "二十").replace('卅', "三十");
        normalize::chinese_number(&s)
    })
}

/// A short line naming a body: no sentence punctuation, at most 40 characters.
fn agency_line(text: &str, range: TextRange) -> Option<Agency> {
    let raw = text[range.as_range()].trim_matches(normalize::is_space);
    let n = raw.chars().count();
    let sentence = raw.chars().any(|c| {
        matches!(
            c,
            '。' | '，' | ',' | '；' | ';' | '：' | ':' | '！' | '？' | '、' | '（' | '('
        )
    });
    if !(2..=40).contains(&n) || sentence || raw.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let start = range.start + text[range.as_range()].find(raw).unwrap_or(0);
    Some(Agency {
        name: raw.to_string(),
        range: TextRange::new(start, start + raw.len()),
    })
}

/// A text line that is a table row written with spaces: a label followed by numbers.
fn looks_like_table_line(text: &str, line: &FlatLine, profile: &Profile) -> bool {
    table::space_row(text, line, profile).is_some()
}

/// `（一）` or `(一)` at the start of a line: its number and byte length.
fn leading_subitem(raw: &str) -> Option<(u32, usize)> {
    let s = raw.trim_start_matches(['*', '_']);
    let lead = raw.len() - s.len();
    let open = s.chars().next().filter(|c| *c == '（' || *c == '(')?;
    let after_open = &s[open.len_utf8()..];
    let close = after_open.find(['）', ')'])?;
    let numeral = &after_open[..close];
    let n = normalize::chinese_number(numeral.trim())?;
    let close_len = after_open[close..].chars().next().map_or(1, char::len_utf8);
    Some((n, lead + open.len_utf8() + close + close_len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::lines::split_blocks;

    fn doc(text: &str) -> Document {
        build(text, &split_blocks(text), &BuildOptions::default())
    }

    #[test]
    fn split_title_and_sections() {
        let text = "重庆市荣昌区人民政府\n\n2021年政府信息公开工作年度报告\n\n本年度报告中所列数据统计期限为2021年1月1日至12月31日。\n\n一、总体情况\n（一）主动公开。正文。\n二、主动公开政府信息情况\n";
        let d = doc(text);
        assert_eq!(d.reports.len(), 1);
        let r = &d.reports[0];
        let title = r.title.as_ref().unwrap();
        assert_eq!(title.agency.as_ref().unwrap().name, "重庆市荣昌区人民政府");
        assert_eq!(title.year.unwrap().0, 2021);
        assert_eq!(r.year.unwrap().source, YearSource::Title);
        assert_eq!(r.profile.id, "f2021");
        assert_eq!(r.sections.len(), 2);
        assert_eq!(r.sections[0].quality, TitleMatch::Canonical);
        assert_eq!(r.subitems.len(), 1);
        assert_eq!(r.period.as_ref().unwrap().start_year, 2021);
    }

    #[test]
    fn year_first_titles_and_chinese_numeral_years() {
        let r =
            &doc("2023年度杭州市拱墅区人民政府政府信息公开工作年度报告\n一、总体情况\n").reports[0];
        let t = r.title.as_ref().unwrap();
        assert_eq!(t.year.unwrap().0, 2023);
        assert_eq!(t.agency.as_ref().unwrap().name, "杭州市拱墅区人民政府");
        let text = "某县人民政府二〇二二年政府信息公开工作年度报告\n一、总体情况\n";
        let r = &doc(text).reports[0];
        let t = r.title.as_ref().unwrap();
        assert_eq!(t.year.unwrap().0, 2022);
        assert_eq!(
            &text[t.agency.as_ref().unwrap().range.as_range()],
            "某县人民政府"
        );
    }

    #[test]
    fn title_split_mid_word() {
        let text = "\n阿城区2021年政府\n\n信息公开工作年度报告\n\n一、总体情况\n";
        let r = &doc(text).reports[0];
        let title = r.title.as_ref().unwrap();
        assert_eq!(title.text, "阿城区2021年政府信息公开工作年度报告");
        assert_eq!(title.agency.as_ref().unwrap().name, "阿城区");
    }

    #[test]
    fn fences_and_comments_hide_the_blocks_between_them() {
        let text = "正文。\n\n```\n\n隐藏一。\n\n```\n\n显示。\n\n<!-- 注释\n\n隐藏二。\n\n-->\n\n显示二。\n";
        let blocks = split_blocks(text);
        let plain: Vec<bool> = blocks.iter().map(|b| b.data.plain).collect();
        assert_eq!(
            plain,
            [true, false, true, false, true, false, true, false, true]
        );
        let shown: Vec<&str> = flatten(text, &blocks)
            .iter()
            .filter(|l| !l.hidden)
            .map(|l| l.text(text))
            .collect();
        assert_eq!(shown, ["正文。", "显示。", "显示二。"]);
    }

    /// The split before it looked only at marked lines: every line, in order.
    fn split_reports_reference(
        text: &str,
        lines: &[FlatLine],
        marks: &[LineMarks],
        profile: &Profile,
    ) -> Vec<ReportSpan> {
        // Title candidates among the lines marked so (looking for them only there is the same
        // as passing over the others, as the code before did).
        let marked: Vec<usize> = (0..lines.len()).filter(|&i| marks[i].title_end).collect();
        let titles: Vec<std::ops::Range<usize>> = title_candidates(text, lines, &marked, profile);
        let is_section: Vec<bool> = lines
            .iter()
            .zip(marks)
            .map(|(l, m)| !l.hidden && m.section)
            .collect();
        let mut spans = vec![ReportSpan {
            lines: 0..lines.len(),
            title: None,
        }];
        let mut seen_section = false;
        let mut next_title = 0;
        for i in 0..lines.len() {
            while next_title < titles.len() && titles[next_title].end <= i {
                next_title += 1;
            }
            if let Some(t) = titles.get(next_title).filter(|t| t.end == i + 1) {
                let current = spans.last_mut().expect("there is always a report");
                if !seen_section {
                    if current.title.is_none() {
                        current.title = Some(t.clone());
                    }
                } else {
                    let upto = titles.get(next_title + 1).map_or(lines.len(), |n| n.start);
                    if is_section[t.end..upto.max(t.end)].iter().any(|s| *s) {
                        current.lines.end = t.start;
                        spans.push(ReportSpan {
                            lines: t.start..lines.len(),
                            title: Some(t.clone()),
                        });
                        seen_section = false;
                    }
                }
            }
            if is_section[i] {
                seen_section = true;
            }
        }
        // Make title ranges relative to their report's lines.
        for span in &mut spans {
            if let Some(t) = &mut span.title {
                *t = (t.start - span.lines.start)..(t.end - span.lines.start);
            }
        }
        spans
    }

    #[test]
    fn splitting_by_marked_lines_splits_as_before() {
        let profile = crate::profile::builtins()[0].clone();
        let mut texts: Vec<String> = Vec::new();
        for dir in [
            "tests/fixtures/seeds",
            "tests/fixtures/corpus",
            "tests/fixtures/regressions",
        ] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
        assert!(texts.len() > 5, "fixtures found");
        // Compendiums of them, with fences and comments between, and titles without sections.
        let joined = texts.join("\n\n");
        texts.push(joined.clone());
        texts.push(format!(
            "某局2023年政府信息公开工作年度报告\n\n```\n{joined}\n```\n\n{joined}"
        ));
        texts.push(format!(
            "<!--\n{joined}\n-->\n政府信息公开工作年度报告\n\n{joined}"
        ));
        // A title named at the end of a report, with no section before the next title.
        let titled: Vec<&String> = texts
            .iter()
            .filter(|t| {
                t.lines()
                    .next()
                    .is_some_and(|l| l.trim_end().ends_with("年度报告"))
            })
            .take(2)
            .collect();
        assert_eq!(titled.len(), 2, "two fixtures start with a title");
        let mentioned = format!(
            "{}\n\n某局2022年政府信息公开工作年度报告\n\n{}",
            titled[0], titled[1]
        );
        texts.push(mentioned);
        for text in &texts {
            let blocks = split_blocks(text);
            let lines = flatten(text, &blocks);
            let marks: Vec<LineMarks> = lines
                .iter()
                .map(|l| line_marks(text, l, &profile))
                .collect();
            let marked = |f: fn(&LineMarks) -> bool| -> Vec<usize> {
                (0..lines.len()).filter(|&i| f(&marks[i])).collect()
            };
            let spans = |s: Vec<ReportSpan>| -> Vec<_> {
                s.into_iter().map(|s| (s.lines, s.title)).collect()
            };
            assert_eq!(
                spans(split_reports(
                    text,
                    &lines,
                    &marked(|m| m.title_end),
                    &marked(|m| m.section),
                    &profile
                )),
                spans(split_reports_reference(text, &lines, &marks, &profile)),
            );
        }
    }

    #[test]
    fn compendium_splits_at_titles() {
        let one = "甲区2021年政府信息公开工作年度报告\n一、总体情况\n正文。\n六、其他需要报告的事项\n无。\n2022年1月20日\n";
        let two = "乙区2020年政府信息公开工作年度报告\n一、总体情况\n正文。\n";
        let text = format!("{one}{two}");
        let d = doc(&text);
        assert_eq!(d.reports.len(), 2);
        assert_eq!(d.reports[0].profile.id, "f2021");
        assert_eq!(d.reports[1].profile.id, "f2019");
        assert_eq!(
            d.reports[1]
                .title
                .as_ref()
                .unwrap()
                .agency
                .as_ref()
                .unwrap()
                .name,
            "乙区"
        );
    }

    #[test]
    fn a_title_mentioned_at_the_end_does_not_start_a_report() {
        let text = "甲区2021年政府信息公开工作年度报告\n一、总体情况\n正文。\n附件：甲区2020年政府信息公开工作年度报告\n";
        assert_eq!(doc(text).reports.len(), 1);
    }

    #[test]
    fn headings_in_markdown_and_variants() {
        let text = "# 政府办2021年政府信息公开工作年度报告\n\n## 一、总体情况\n\n#### 五、当前存在的主要问题及下步改进措施\n\n**六、其他需要报告的事项**\n";
        let r = &doc(text).reports[0];
        assert_eq!(r.sections.len(), 3);
        assert_eq!(r.sections[0].md_level, Some(2));
        assert_eq!(r.sections[1].quality, TitleMatch::Variant);
        assert_eq!(r.sections[2].spec, 5);
        assert_eq!(r.sections[2].md_level, None);
    }

    #[test]
    fn table_labels_are_not_headings() {
        let text = "一、本年新收政府信息公开申请数量\n三、本年度办理结果\n";
        let r = &doc(text).reports[0];
        assert!(r.sections.is_empty());
        assert!(r.unknown_headings.is_empty());
    }
}
