//! Tables in every shape drafts come in, read into labelled rows of cells.
//!
//! A table is first a *run* of lines: pipe rows, tab-separated rows, Word cells (`\tcell`), web
//! cells (`cell |`), bare labels and numbers, and fragments of vertically broken labels. The run
//! becomes a stream of cells, each with the physical row it sits in when the shape has rows.
//! Labels from the profile then drive the reading: a row label takes the values after it, up to
//! the next label or the end of its physical row, and the values are aligned to the row's columns.

use super::amount::{parse_value, BlankKind, Value};
use super::build::FlatLine;
use super::lines::LineKind;
use super::normalize::{self, at_most_chars, normalize, similarity, split_numbering};
use super::*;
use crate::profile::{LabelRef, Layout, Profile, TableSpec};

/// A line that belongs to a table run.
#[derive(Clone, Copy)]
pub(crate) struct RunLine<'a> {
    pub line: FlatLine<'a>,
}

pub(crate) struct Run {
    pub lines: Vec<usize>,
}

/// How far a text is from being a label of the profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LabelState {
    /// A label, as it stands.
    Exact,
    /// The start of a label (a label broken over lines).
    Prefix,
    Other,
}

fn label_state(profile: &Profile, norm: &str) -> LabelState {
    if norm.is_empty() {
        return LabelState::Other;
    }
    if profile.label_tables(norm).any != 0 {
        LabelState::Exact
    } else if profile
        .tables
        .iter()
        .any(|t| t.has_label_starting_with(norm))
    {
        LabelState::Prefix
    } else {
        LabelState::Other
    }
}

/// Finds runs of table lines among the lines marked free (not a title or heading).
///
/// A run takes table-shaped lines, labels and numbers on lines of their own, rows written
/// with spaces, and the fragments of a label broken over lines (while the label so far is the
/// start of a known label). Anything else ends it.
pub(crate) fn find_runs(
    text: &str,
    lines: &[FlatLine],
    free: &[bool],
    profile: &Profile,
) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut cur: Option<Run> = None;
    // The most recent label in the run, normalised, while it is still the start of a label.
    let mut open_label: Option<String> = None;
    let mut in_html = false;
    for (i, line) in lines.iter().enumerate() {
        if line.hidden {
            continue;
        }
        if !free[i] {
            runs.extend(cur.take());
            open_label = None;
            in_html = false;
            continue;
        }
        let s = line.text(text);
        if in_html || line.kind() == LineKind::Html {
            let lower = s.to_ascii_lowercase();
            if lower.contains("<table") {
                in_html = true;
            }
            if lower.contains("</table") {
                in_html = false;
            }
            cur.get_or_insert_with(|| Run { lines: Vec::new() })
                .lines
                .push(i);
            open_label = None;
            continue;
        }
        let joins = if line.kind().is_table() {
            open_label = line
                .cells()
                .map(|c| &text[c.content.as_range()])
                .filter(|c| matches!(parse_value(c), Value::Text))
                .last()
                .map(normalize)
                .filter(|n| label_state(profile, n) == LabelState::Prefix);
            true
        } else if line.kind() != LineKind::Text {
            false
        } else if FULL_STOP.is_in(s) && !profile.has_sentence_label() {
            // A sentence: no label, number, row or fragment of a label holds a full stop, so
            // of the tests below only page furniture inside a run can take it.
            cur.is_some() && (is_page_footer(s) || is_decoration(profile, s))
        } else if cur.is_some() && (is_page_footer(s) || is_decoration(profile, s)) {
            true
        } else if is_strong_label(profile, s) {
            open_label = None;
            true
        } else if cur.is_some()
            && matches!(
                parse_value(s),
                Value::Number(_) | Value::Blank(BlankKind::Mark)
            )
        {
            true
        } else if let Some(cells) = space_row(text, line, profile) {
            open_label = cells
                .iter()
                .rev()
                .find(|c| !c.1)
                .map(|c| normalize(&text[c.0.as_range()]))
                .filter(|n| label_state(profile, n) == LabelState::Prefix);
            let labelled = cells.first().is_some_and(|c| !c.1);
            labelled || cur.is_some()
        } else if let (Some(label), true) = (&open_label, cur.is_some() && is_fragment(s)) {
            let joined = format!("{label}{}", normalize(s));
            match label_state(profile, &joined) {
                LabelState::Exact => {
                    open_label = None;
                    true
                }
                LabelState::Prefix => {
                    open_label = Some(joined);
                    true
                }
                LabelState::Other => false,
            }
        } else if at_most_chars(s, FRAGMENT_MAX_CHARS)
            && label_state(profile, &normalize(s)) == LabelState::Prefix
        {
            // The first line of a label broken over lines (a header note, a wrapped row label).
            open_label = Some(normalize(s));
            true
        } else {
            false
        };
        if joins {
            cur.get_or_insert_with(|| Run { lines: Vec::new() })
                .lines
                .push(i);
        } else {
            runs.extend(cur.take());
            open_label = None;
        }
    }
    runs.extend(cur);
    runs
}

const FRAGMENT_MAX_CHARS: usize = 40;

static FULL_STOP: crate::text::Needle = crate::text::Needle::new("。");

/// A short piece of text that can continue a label.
fn is_fragment(s: &str) -> bool {
    let n = s.chars().count();
    n > 0
        && n <= FRAGMENT_MAX_CHARS
        && !s.contains('。')
        && !matches!(
            parse_value(s),
            Value::Number(_) | Value::Blank(BlankKind::Mark)
        )
}

/// A header line printed column by column (`结 结 其 尚 总 未经复议直接起诉 复议后起诉`): pieces
/// of one or two characters, or whole labels, and no numbers. It is part of the table but
/// names no cell on its own.
fn is_decoration(profile: &Profile, s: &str) -> bool {
    let tokens: Vec<&str> = s
        .split(normalize::is_space)
        .filter(|t| !t.is_empty())
        .collect();
    tokens.len() >= 3
        && tokens.iter().any(|t| t.chars().count() <= 2)
        && tokens.iter().all(|t| {
            matches!(parse_value(t), Value::Text)
                && (t.chars().count() <= 2 || profile.label_tables(&normalize(t)).any != 0)
        })
}

/// `— 3 —`, `- 12 -`, `第3页`: page furniture inside a table copied from a PDF.
fn is_page_footer(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !normalize::is_space(*c)).collect();
    let dashes = |c: char| matches!(c, '-' | '—' | '–' | '－');
    let inner = t.trim_matches(dashes);
    let dashed =
        inner.len() < t.len() && !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit());
    let paged = t.starts_with('第') && (t.ends_with('页') || t.contains("页共"));
    dashed || paged
}

/// A text whose normalised form is a row, group, caption or note of some table.
fn is_strong_label(profile: &Profile, s: &str) -> bool {
    profile.label_tables(&normalize(s)).strong != 0
}

/// A text line that is a table row written with spaces: its cells as (range, is a value).
///
/// Accepted: a known label followed by numbers (`行政许可 3 0 0`; a group and a row label
/// may stand together, `三、本年度办理结果 （一）予以公开 5 2 …`; a label cut short by a line
/// break counts when it starts exactly one row label); numbers only (`0 4 0 1`); or a header
/// line whose every piece is a label (`行政复议 行政诉讼`).
pub(crate) fn space_row(
    text: &str,
    line: &FlatLine,
    profile: &Profile,
) -> Option<Vec<(TextRange, bool)>> {
    if line.kind() != LineKind::Text {
        return None;
    }
    let c = line.content();
    let s = &text[c.as_range()];
    let mut tokens: Vec<(TextRange, bool)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, ch) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if normalize::is_space(ch) {
            if let Some(st) = start.take() {
                let tok = &s[st..i];
                let is_value = matches!(
                    parse_value(tok),
                    Value::Number(_) | Value::Blank(BlankKind::Mark)
                );
                tokens.push((TextRange::new(c.start + st, c.start + i), is_value));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if tokens.len() < 2 {
        return None;
    }
    let Some(first_value) = tokens.iter().position(|t| t.1) else {
        // A header line: every piece a label.
        let all_labels = tokens
            .iter()
            .all(|t| profile.label_tables(&normalize(&text[t.0.as_range()])).any != 0);
        return all_labels.then_some(tokens);
    };
    if tokens[first_value..].iter().any(|t| !t.1) {
        return None;
    }
    if first_value == 0 {
        return Some(tokens);
    }
    let label = TextRange::new(tokens[0].0.start, tokens[first_value - 1].0.end);
    let norm = normalize(&text[label.as_range()]);
    let mut out: Vec<(TextRange, bool)> = Vec::new();
    let known = profile.label_tables(&norm).any != 0
        || profile
            .tables
            .iter()
            .any(|t| t.row_with_prefix(&norm).is_some());
    if known {
        out.push((label, false));
    } else {
        // A group label and a row label side by side: keep them as two cells.
        let split = (1..first_value).find(|&k| {
            let a =
                normalize(&text[TextRange::new(tokens[0].0.start, tokens[k - 1].0.end).as_range()]);
            let b = normalize(
                &text[TextRange::new(tokens[k].0.start, tokens[first_value - 1].0.end).as_range()],
            );
            profile.tables.iter().any(|t| {
                t.lookup(&a)
                    .iter()
                    .any(|(r, _)| matches!(r, LabelRef::Group(_)))
                    && (t
                        .lookup(&b)
                        .iter()
                        .any(|(r, _)| matches!(r, LabelRef::Row(_)))
                        || t.row_with_prefix(&b).is_some())
            })
        })?;
        out.push((
            TextRange::new(tokens[0].0.start, tokens[split - 1].0.end),
            false,
        ));
        out.push((
            TextRange::new(tokens[split].0.start, tokens[first_value - 1].0.end),
            false,
        ));
    }
    out.extend_from_slice(&tokens[first_value..]);
    Some(out)
}

/// One cell of a run, with the physical row it sits in.
#[derive(Clone, Debug)]
struct StreamCell {
    content: TextRange,
    slot: TextRange,
    /// The text when it is not the document's at `content` (fragments joined, HTML).
    own_text: Option<String>,
    /// The physical row; cells of shapes without rows share one.
    phys: u32,
    /// Whether `phys` marks real rows (pipe, tab and space rows; blank-line groups of Word cells).
    rows_known: bool,
}

fn stream(text: &str, lines: &[RunLine], profile: &Profile) -> (Vec<StreamCell>, Shape) {
    let mut cells: Vec<StreamCell> = Vec::new();
    let mut phys = 0u32;
    let mut prev_kind: Option<LineKind> = None;
    let mut counts = [0usize; 6];
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].line;
        let kind = line.kind();
        let s = line.text(text);
        if kind == LineKind::Html {
            // The whole HTML table, however its tags are spread over lines.
            let mut j = i;
            let mut closed = false;
            while j < lines.len() && !closed {
                closed = lines[j]
                    .line
                    .text(text)
                    .to_ascii_lowercase()
                    .contains("</table");
                j += 1;
            }
            let range = TextRange::new(line.range().start, lines[j - 1].line.range().end);
            counts[5] += j - i;
            html_cells(text, range, &mut cells, &mut phys);
            prev_kind = Some(kind);
            i = j;
            continue;
        }
        i += 1;
        match kind {
            LineKind::PipeSeparator => {}
            LineKind::PipeRow | LineKind::TabRow => {
                counts[if kind == LineKind::PipeRow { 0 } else { 1 }] += 1;
                phys += 1;
                for c in line.cells() {
                    cells.push(StreamCell {
                        content: c.content,
                        slot: c.slot,
                        own_text: None,
                        phys,
                        rows_known: true,
                    });
                }
            }
            LineKind::WordCell | LineKind::WebCell => {
                let word = kind == LineKind::WordCell;
                counts[if word { 2 } else { 3 }] += 1;
                if prev_kind != Some(kind) || (word && line.gap_before) {
                    phys += 1;
                }
                if let Some(c) = line.cells().next() {
                    cells.push(StreamCell {
                        content: c.content,
                        slot: c.slot,
                        own_text: None,
                        phys,
                        rows_known: word,
                    });
                }
            }
            _ => {
                if is_page_footer(s) || is_decoration(profile, s) {
                    continue;
                }
                let content = line.content();
                let value_like = matches!(
                    parse_value(s),
                    Value::Number(_) | Value::Blank(BlankKind::Mark)
                );
                if value_like || is_strong_label(profile, s) {
                    counts[4] += 1;
                    if !matches!(prev_kind, Some(LineKind::Text)) {
                        phys += 1;
                    }
                    cells.push(StreamCell {
                        content,
                        slot: content,
                        own_text: None,
                        phys,
                        rows_known: false,
                    });
                } else if let Some(tokens) = space_row(text, &line, profile) {
                    counts[4] += 1;
                    phys += 1;
                    for (r, _) in tokens {
                        cells.push(StreamCell {
                            content: r,
                            slot: r,
                            own_text: None,
                            phys,
                            rows_known: true,
                        });
                    }
                } else if let Some(label) = cells
                    .iter_mut()
                    .rev()
                    .find(|c| matches!(parse_value(c.text(text)), Value::Text))
                {
                    // A fragment of a label broken over lines: join it to that label.
                    let mut joined = label.text(text).to_string();
                    joined.push_str(s);
                    label.own_text = Some(joined);
                    label.content = label.content.cover(content);
                    label.slot = label.slot.cover(content);
                    continue;
                } else {
                    counts[4] += 1;
                    phys += 1;
                    cells.push(StreamCell {
                        content,
                        slot: content,
                        own_text: None,
                        phys,
                        rows_known: false,
                    });
                }
            }
        }
        if kind != LineKind::PipeSeparator {
            prev_kind = Some(kind);
        }
    }
    let total: usize = counts.iter().sum();
    let shape = match counts.iter().enumerate().max_by_key(|(_, n)| **n) {
        Some((i, &n)) if n * 10 >= total * 9 => [
            Shape::Pipe,
            Shape::Tabs,
            Shape::Word,
            Shape::Web,
            Shape::Lines,
            Shape::Html,
        ][i],
        _ => Shape::Mixed,
    };
    (cells, shape)
}

/// The cells of an HTML table: each `<tr>` a physical row, each `<td>`/`<th>` a cell whose
/// text has its tags stripped and entities decoded. Spans need no expanding: rows are read
/// by their labels.
fn html_cells(text: &str, range: TextRange, cells: &mut Vec<StreamCell>, phys: &mut u32) {
    static ROW: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static CELL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let row_re = ROW.get_or_init(|| {
        regex::Regex::new(r"(?is)<tr\b[^>]*>(.*?)(?:</tr\s*>|$)").expect("valid regex")
    });
    let cell_re = CELL.get_or_init(|| {
        regex::Regex::new(r"(?is)<t[dh]\b[^>]*>(.*?)</t[dh]\s*>").expect("valid regex")
    });
    let html = &text[range.as_range()];
    for row in row_re.captures_iter(html) {
        let Some(inner) = row.get(1) else {
            continue;
        };
        *phys += 1;
        for cell in cell_re.captures_iter(inner.as_str()) {
            let Some(m) = cell.get(1) else {
                continue;
            };
            let start = range.start + inner.start() + m.start();
            let raw = m.as_str();
            let lead = raw.len() - raw.trim_start().len();
            let trimmed = raw.trim();
            let content = TextRange::new(start + lead, start + lead + trimmed.len());
            cells.push(StreamCell {
                content: if trimmed.is_empty() {
                    TextRange::empty(start)
                } else {
                    content
                },
                slot: TextRange::new(start, start + raw.len()),
                own_text: Some(html_text(trimmed)).filter(|t| t != trimmed),
                phys: *phys,
                rows_known: true,
            });
        }
    }
}

/// The text of an HTML fragment: tags dropped, common entities decoded.
fn html_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&#160;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Reads a run into tables: one per stretch of cells whose labels belong to one table.
pub(crate) fn parse_run(text: &str, lines: &[RunLine], profile: &Profile) -> Vec<Table> {
    let (cells, shape) = stream(text, lines, profile);
    // Every cell normalised into one buffer (a table has hundreds of cells: one allocation,
    // not one each).
    let mut buf = String::new();
    let bounds: Vec<std::ops::Range<usize>> = cells
        .iter()
        .map(|c| {
            let start = buf.len();
            normalize::normalize_into(&mut buf, c.text(text));
            start..buf.len()
        })
        .collect();
    let norms: Vec<&str> = bounds.iter().map(|r| &buf[r.clone()]).collect();
    // A cell points at a table when it is one of its rows, groups, captions or notes, or a
    // column header no other table has.
    // Each a set of tables, one bit a table (a profile has at most `MAX_TABLES`).
    let strong: Vec<u64> = norms
        .iter()
        .map(|n| {
            let tables = profile.label_tables(n);
            // A column header points at a table only when no other table has it.
            if tables.any.count_ones() == 1 {
                tables.any
            } else {
                tables.strong
            }
        })
        .collect();
    let first = |set: u64| set.trailing_zeros() as usize;
    // Split where the labels switch to another table for at least two labels in a row.
    let hits: Vec<usize> = (0..cells.len()).filter(|&i| strong[i] != 0).collect();
    let mut segments: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (k, &i) in hits.iter().enumerate() {
        match current {
            None => {
                current = Some((first(strong[i]), 0));
            }
            Some((t, start)) if strong[i] & (1 << t) == 0 => {
                let next_agrees = hits.get(k + 1).is_some_and(|&j| strong[j] & strong[i] != 0);
                if next_agrees || k + 1 == hits.len() {
                    segments.push((t, start..i));
                    current = Some((first(strong[i]), i));
                }
            }
            Some(_) => {}
        }
    }
    if let Some((t, start)) = current {
        segments.push((t, start..cells.len()));
    }
    segments
        .into_iter()
        .filter(|(_, r)| hits.iter().filter(|&&i| r.contains(&i)).count() >= 2)
        .map(|(t, r)| {
            let spec = &profile.tables[t];
            let others: Vec<std::sync::Arc<Profile>> = crate::profile::builtins()
                .iter()
                .filter(|p| p.id != profile.id)
                .cloned()
                .collect();
            let foreign: Vec<&TableSpec> = others
                .iter()
                .filter_map(|p| p.table(&spec.id).map(|i| &p.tables[i]))
                .collect();
            read_table(text, &cells[r.clone()], &norms[r], spec, &foreign, t, shape)
        })
        .collect()
}

enum Class {
    Value(Value),
    Label(LabelRef, LabelMatch),
    /// A label of another edition of the format: a row label when `true`.
    Foreign(bool),
    Unknown,
}

/// A cell is a value, a label of this table (exactly, else a label of another edition, else
/// loosely), or unknown.
fn classify(spec: &TableSpec, foreign: &[&TableSpec], raw: &str, norm: &str) -> Class {
    let value = parse_value(raw);
    if !matches!(value, Value::Text) {
        return Class::Value(value);
    }
    if let Some(&(r, q)) = spec
        .lookup(norm)
        .iter()
        .min_by_key(|(r, q)| (*q, label_rank(r)))
    {
        return Class::Label(r, q.into());
    }
    if let Some((r, _)) = foreign.iter().flat_map(|f| f.lookup(norm)).next() {
        return Class::Foreign(matches!(r, LabelRef::Row(_)));
    }
    if let [only] = spec.lookup_core(normalize::core(norm)) {
        if !matches!(only, LabelRef::Column | LabelRef::Note) || split_numbering(norm).0.is_none() {
            return Class::Label(*only, LabelMatch::Fuzzy);
        }
    }
    match best_similar(spec, norm) {
        Some(r) => Class::Label(r, LabelMatch::Fuzzy),
        None => Class::Unknown,
    }
}

/// Rows before groups before the rest, when one text is several labels.
fn label_rank(r: &LabelRef) -> u8 {
    match r {
        LabelRef::Row(_) => 0,
        LabelRef::Group(_) => 1,
        LabelRef::Caption(_) => 2,
        LabelRef::Column => 3,
        LabelRef::Note => 4,
    }
}

const SIMILAR: f64 = 0.75;

/// The one row, group or caption clearly most like `norm`, with the same numbering.
fn best_similar(spec: &TableSpec, norm: &str) -> Option<LabelRef> {
    if norm.chars().count() < 3 {
        return None;
    }
    let numbering = split_numbering(norm).0;
    let mut scored: Vec<(f64, LabelRef)> = spec
        .label_texts()
        .filter(|(_, r)| {
            matches!(
                r,
                LabelRef::Row(_) | LabelRef::Group(_) | LabelRef::Caption(_)
            )
        })
        .filter_map(|(label, r)| {
            let ln = normalize(label);
            if split_numbering(&ln).0 != numbering {
                return None;
            }
            Some((similarity(&ln, norm), r))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [(best, r), rest @ ..]
            if *best >= SIMILAR && rest.first().is_none_or(|(s, _)| s < best) =>
        {
            Some(*r)
        }
        _ => None,
    }
}

/// Labels most like an unknown text, for suggestions.
pub fn suggestions(spec: &TableSpec, norm: &str, max: usize) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = spec
        .label_texts()
        .map(|(label, _)| (similarity(&normalize(label), norm), label))
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = Vec::new();
    for (_, l) in scored {
        if !out.iter().any(|o| o == l) {
            out.push(l.to_string());
        }
        if out.len() == max {
            break;
        }
    }
    out
}

enum Building {
    Row {
        spec: usize,
        label: Cell,
        label_match: LabelMatch,
        phys: u32,
        values: Vec<(Cell, u32, bool)>,
    },
    Group {
        group: usize,
        label: Cell,
        phys: u32,
        values: Vec<(Cell, u32, bool)>,
    },
    Unknown {
        label: Cell,
        phys: u32,
        values: Vec<(Cell, u32, bool)>,
        foreign: bool,
    },
}

impl Building {
    fn phys(&self) -> u32 {
        match self {
            Building::Row { phys, .. }
            | Building::Group { phys, .. }
            | Building::Unknown { phys, .. } => *phys,
        }
    }

    fn values(&mut self) -> &mut Vec<(Cell, u32, bool)> {
        match self {
            Building::Row { values, .. }
            | Building::Group { values, .. }
            | Building::Unknown { values, .. } => values,
        }
    }
}

impl StreamCell {
    fn text<'a>(&'a self, source: &'a str) -> &'a str {
        match &self.own_text {
            Some(t) => t,
            None => &source[self.content.as_range()],
        }
    }
}

fn to_cell(c: &StreamCell, value: Value) -> Cell {
    Cell {
        range: c.content,
        slot: c.slot,
        own_text: c.own_text.as_deref().map(Box::from),
        value,
    }
}

fn read_table(
    text: &str,
    cells: &[StreamCell],
    norms: &[&str],
    spec: &TableSpec,
    foreign: &[&TableSpec],
    spec_idx: usize,
    shape: Shape,
) -> Table {
    let range = match (cells.first(), cells.last()) {
        (Some(f), Some(l)) => f.slot.cover(l.slot),
        _ => TextRange::empty(0),
    };
    let mut table = Table {
        spec: spec_idx,
        range,
        section: None,
        shape,
        rows: Vec::new(),
        labels: Vec::new(),
        group_values: Vec::new(),
        unknown_headers: Vec::new(),
        unknown_rows: Vec::new(),
        orphans: Vec::new(),
        foreign: Vec::new(),
        pieces: 1,
        row_pos: vec![None; spec.rows.len()],
    };
    let single = spec.layout == Layout::SingleRow;
    let mut cur: Option<Building> = None;
    let mut seen_row = false;
    // Values outside any row: (cell, phys, rows_known) — the data of a single-row table.
    let mut loose: Vec<(Cell, u32, bool)> = Vec::new();
    let mut last_header = 0usize;
    for (c, norm) in cells.iter().zip(norms) {
        match classify(spec, foreign, c.text(text), norm) {
            Class::Foreign(is_row) => {
                finish(text, &mut table, spec, foreign, cur.take());
                let cell = to_cell(c, Value::Text);
                table.foreign.push(cell.clone());
                if is_row && !single {
                    // Its values belong to no row of this edition.
                    cur = Some(Building::Unknown {
                        label: cell,
                        phys: c.phys,
                        values: Vec::new(),
                        foreign: true,
                    });
                    seen_row = true;
                } else {
                    last_header = loose.len();
                }
            }
            Class::Label(LabelRef::Row(r), m) if !single => {
                finish(text, &mut table, spec, foreign, cur.take());
                cur = Some(Building::Row {
                    spec: r,
                    label: to_cell(c, Value::Text),
                    label_match: m,
                    phys: c.phys,
                    values: Vec::new(),
                });
                seen_row = true;
            }
            Class::Label(LabelRef::Group(g), m) => {
                finish(text, &mut table, spec, foreign, cur.take());
                table.labels.push(LabelCell {
                    cell: to_cell(c, Value::Text),
                    label: LabelRef::Group(g),
                    label_match: m,
                });
                cur = Some(Building::Group {
                    group: g,
                    label: to_cell(c, Value::Text),
                    phys: c.phys,
                    values: Vec::new(),
                });
            }
            Class::Label(r, m) => {
                finish(text, &mut table, spec, foreign, cur.take());
                table.labels.push(LabelCell {
                    cell: to_cell(c, Value::Text),
                    label: r,
                    label_match: m,
                });
                last_header = loose.len();
            }
            Class::Value(v) => {
                let cell = to_cell(c, v);
                match &mut cur {
                    Some(b) if !c.rows_known || b.phys() == c.phys => {
                        b.values().push((cell, c.phys, c.rows_known))
                    }
                    _ => {
                        finish(text, &mut table, spec, foreign, cur.take());
                        loose.push((cell, c.phys, c.rows_known));
                    }
                }
            }
            Class::Unknown => {
                let cell = to_cell(c, Value::Text);
                let label_like = split_numbering(norm).0.is_some() || norm.chars().count() >= 6;
                match &mut cur {
                    Some(b @ (Building::Row { .. } | Building::Unknown { .. }))
                        if !label_like && (!c.rows_known || b.phys() == c.phys) =>
                    {
                        b.values().push((cell, c.phys, c.rows_known));
                    }
                    _ => {
                        finish(text, &mut table, spec, foreign, cur.take());
                        if seen_row && label_like && !single {
                            cur = Some(Building::Unknown {
                                label: cell,
                                phys: c.phys,
                                values: Vec::new(),
                                foreign: false,
                            });
                        } else if !seen_row || single {
                            table.unknown_headers.push(cell);
                            last_header = loose.len();
                        }
                    }
                }
            }
        }
    }
    finish(text, &mut table, spec, foreign, cur.take());
    if single {
        let data: Vec<(Cell, u32, bool)> = loose.split_off(last_header.min(loose.len()));
        let data = drop_blank_rows(data);
        if !data.is_empty() {
            let label_range = data[0].0.range.cover(data[data.len() - 1].0.range);
            let label = Cell {
                range: label_range,
                slot: label_range,
                own_text: Some(Box::from("")),
                value: Value::Text,
            };
            push_row(
                &mut table,
                spec,
                0,
                label,
                LabelMatch::Exact,
                data.into_iter().map(|d| d.0).collect(),
            );
        }
    } else {
        table.orphans.extend(
            loose
                .into_iter()
                .map(|d| d.0)
                .filter(|c| matches!(c.value, Value::Number(_))),
        );
    }
    table
}

/// Drops physical rows whose cells are all empty (placeholder rows in Word copies).
fn drop_blank_rows(cells: Vec<(Cell, u32, bool)>) -> Vec<(Cell, u32, bool)> {
    let mut keep = Vec::with_capacity(cells.len());
    let mut i = 0;
    while i < cells.len() {
        let (_, phys, known) = cells[i];
        let mut j = i + 1;
        while j < cells.len() && cells[j].1 == phys && known {
            j += 1;
        }
        let all_empty = cells[i..j]
            .iter()
            .all(|c| c.0.value == Value::Blank(BlankKind::Empty));
        if !(known && all_empty) {
            keep.extend(cells[i..j].iter().cloned());
        }
        i = j;
    }
    keep
}

fn finish(
    text: &str,
    table: &mut Table,
    spec: &TableSpec,
    foreign: &[&TableSpec],
    b: Option<Building>,
) {
    match b {
        None => {}
        Some(Building::Row {
            spec: row,
            label,
            label_match,
            values,
            ..
        }) => push_row(
            table,
            spec,
            row,
            label,
            label_match,
            values.into_iter().map(|v| v.0).collect(),
        ),
        Some(Building::Group {
            group,
            label,
            values,
            ..
        }) => {
            let values: Vec<Cell> = values.into_iter().map(|v| v.0).collect();
            if values
                .iter()
                .any(|v| v.value != Value::Blank(BlankKind::Empty))
            {
                // A group of this edition that is a data row in another (（六）其他处理 in 2019).
                let norm = normalize(label.text(text));
                let other_row = foreign.iter().any(|f| {
                    f.lookup(&norm)
                        .iter()
                        .any(|(r, _)| matches!(r, LabelRef::Row(_)))
                });
                if other_row {
                    table.foreign.push(label);
                    return;
                }
                table.group_values.push(GroupValues {
                    group,
                    label,
                    values,
                });
            }
        }
        Some(Building::Unknown { foreign: true, .. }) => {}
        Some(Building::Unknown { label, values, .. }) => {
            table.unknown_rows.push(UnknownRow {
                label,
                values: values.into_iter().map(|v| v.0).collect(),
            });
        }
    }
}

/// Aligns a row's values to its columns: surplus empty cells are dropped from the end, then the
/// start; a short row is aligned to the right (the total is the last column), missing cells on
/// the left.
fn push_row(
    table: &mut Table,
    spec: &TableSpec,
    row: usize,
    label: Cell,
    label_match: LabelMatch,
    values: Vec<Cell>,
) {
    let built = build_row(spec, row, label, label_match, values);
    if table.row_pos[row].is_none() {
        table.row_pos[row] = Some(table.rows.len());
    }
    table.rows.push(built);
}

fn build_row(
    spec: &TableSpec,
    row: usize,
    label: Cell,
    label_match: LabelMatch,
    mut values: Vec<Cell>,
) -> Row {
    // Only the row of a single-row table may be joined with the next piece's (`merge`).
    let raw = if spec.layout == Layout::SingleRow {
        values.clone()
    } else {
        Vec::new()
    };
    let n = spec.columns_of(row).len();
    let is_empty = |c: &Cell| c.value == Value::Blank(BlankKind::Empty);
    while values.len() > n && values.last().is_some_and(is_empty) {
        values.pop();
    }
    while values.len() > n && values.first().is_some_and(is_empty) {
        values.remove(0);
    }
    let found = values.len();
    if values.len() > n {
        values.drain(..values.len() - n);
    }
    let end = values.last().map_or(label.range.end, |v| v.range.end);
    if values.len() < n {
        let at = label.range.end;
        let missing = Cell {
            range: TextRange::empty(at),
            slot: TextRange::empty(at),
            own_text: None,
            value: Value::Missing,
        };
        let mut aligned = vec![missing; n - values.len()];
        aligned.append(&mut values);
        values = aligned;
    }
    let range = TextRange::new(label.range.start.min(end), end.max(label.range.start));
    Row {
        spec: row,
        label,
        label_match,
        cells: values,
        found,
        raw,
        range,
    }
}

/// Appends another piece of the same table (split by a heading or a page break). The one row
/// of a single-row table written as several short tables (行政复议, then each kind of 行政诉讼)
/// is joined back into one.
pub(crate) fn merge(into: &mut Table, other: Table, spec: &TableSpec) {
    into.range = into.range.cover(other.range);
    let mut other_rows = other.rows;
    if spec.layout == Layout::SingleRow {
        if let (Some(first), Some(next)) = (into.rows.first(), other_rows.first()) {
            let n = spec.columns_of(0).len();
            if first.found < n && first.raw.len() + next.raw.len() <= n {
                let mut values = first.raw.clone();
                values.extend(next.raw.iter().cloned());
                let label_range = first.label.range.cover(next.label.range);
                let label = Cell {
                    range: label_range,
                    slot: label_range,
                    own_text: Some(Box::from("")),
                    value: Value::Text,
                };
                into.rows[0] = build_row(spec, 0, label, LabelMatch::Exact, values);
                other_rows.remove(0);
            }
        }
    }
    for row in other_rows {
        if into.row_pos[row.spec].is_none() {
            into.row_pos[row.spec] = Some(into.rows.len());
        }
        into.rows.push(row);
    }
    into.labels.extend(other.labels);
    into.group_values.extend(other.group_values);
    into.unknown_headers.extend(other.unknown_headers);
    into.unknown_rows.extend(other.unknown_rows);
    into.orphans.extend(other.orphans);
    into.foreign.extend(other.foreign);
    into.pieces += other.pieces;
    if into.shape != other.shape {
        into.shape = Shape::Mixed;
    }
}

/// How much of a table was recognised: its rows and labels.
pub(crate) fn recognised_cells(t: &Table) -> usize {
    t.rows.len() * 2
        + t.labels
            .iter()
            .filter(|l| l.label_match != LabelMatch::Fuzzy)
            .count()
}
