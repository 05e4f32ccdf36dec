//! Lines and blocks: the profile-free first stage of parsing.
//!
//! Each line is classified by its shape alone (a Markdown heading, a pipe-table row, a
//! tab-separated row, a Word cell `\tcell`, a web cell `cell |`, or text). Lines are grouped into
//! blocks, runs of non-blank lines; a block's parse depends only on its own text, so the language
//! server reuses every block whose text did not change.
//!
//! Ranges inside a block are relative to the block's start.

use std::sync::Arc;

use crate::text::TextRange;

/// The shape of one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// `# …` to `###### …`, with the level.
    MdHeading(u8),
    /// `| a | b |`.
    PipeRow,
    /// `|---|:---:|`.
    PipeSeparator,
    /// Cells separated by tabs: `a\tb\tc`, or `\ta\tb` with an empty first cell.
    TabRow,
    /// One cell pasted from Word: `\tcell`, or `\t` alone for an empty cell.
    WordCell,
    /// One cell copied from a web page: `cell |`, maybe followed by more `|`.
    WebCell,
    /// A line of an HTML table (`<table>`, `<tr>`, `<td>…`), as pandoc writes merged cells.
    Html,
    /// A Markdown code fence.
    Fence,
    /// Anything else: prose, a heading without `#`, a fragment of vertical text.
    Text,
}

impl LineKind {
    pub fn is_table(self) -> bool {
        matches!(
            self,
            LineKind::PipeRow
                | LineKind::PipeSeparator
                | LineKind::TabRow
                | LineKind::WordCell
                | LineKind::WebCell
        )
    }
}

/// A cell of a table-shaped line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RawCell {
    /// The text without surrounding whitespace; empty (at the slot's middle) for an empty cell.
    pub content: TextRange,
    /// Everything between the cell's delimiters.
    pub slot: TextRange,
}

/// A line's cells. Most lines have none or one (prose, a Word or web cell): those are kept
/// in the line, without an allocation of their own.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cells {
    One(Option<RawCell>),
    Many(Vec<RawCell>),
}

impl Cells {
    pub const NONE: Cells = Cells::One(None);
}

impl std::ops::Deref for Cells {
    type Target = [RawCell];

    fn deref(&self) -> &[RawCell] {
        match self {
            Cells::One(cell) => cell.as_slice(),
            Cells::Many(cells) => cells,
        }
    }
}

impl From<Vec<RawCell>> for Cells {
    fn from(cells: Vec<RawCell>) -> Cells {
        Cells::Many(cells)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Line {
    /// The line without its terminator.
    pub range: TextRange,
    pub kind: LineKind,
    /// For a heading, the text after the `#` marks; otherwise the trimmed line.
    pub content: TextRange,
    pub cells: Cells,
}

/// The parse of one block: its lines, relative to the block's start.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BlockData {
    pub len: usize,
    pub lines: Vec<Line>,
    /// No line opens or closes a code fence or an HTML comment: what is hidden before the
    /// block stays hidden through it, and the rest stays shown, without reading its lines.
    pub plain: bool,
}

/// A block in a document: where it starts, and its (shareable) parse.
#[derive(Clone, Debug)]
pub struct Block {
    pub start: usize,
    pub data: Arc<BlockData>,
}

impl Block {
    pub fn range(&self) -> TextRange {
        TextRange::new(self.start, self.start + self.data.len)
    }
}

/// A line is blank when it holds only spaces; a tab makes it an (empty) Word cell.
pub fn is_blank_line(line: &str) -> bool {
    line.chars().all(|c| {
        matches!(
            c,
            ' ' | '\u{3000}' | '\u{a0}' | '\r' | '\u{feff}' | '\u{200b}'
        )
    })
}

/// Splits a text into lines: (start, end without terminator, end with terminator).
pub fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        // The next `\n` or `\r`, in one vectorised search.
        let mut i = memchr::memchr2(b'\n', b'\r', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let end = i;
        if i < bytes.len() {
            i += if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
        }
        pos = i;
        Some((start, end, i))
    })
}

/// Splits a whole text into blocks and parses each.
pub fn split_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    // The lines of the block being read (start and end in `text`): read once, not again
    // when the block is parsed.
    let mut current: Vec<(usize, usize)> = Vec::new();
    for (start, end, _) in line_spans(text) {
        if is_blank_line(&text[start..end]) {
            if !current.is_empty() {
                blocks.push(make_block(text, &current));
                current.clear();
            }
        } else {
            current.push((start, end));
        }
    }
    if !current.is_empty() {
        blocks.push(make_block(text, &current));
    }
    blocks
}

/// The block of the lines `spans` (start and end in `text`, none blank).
fn make_block(text: &str, spans: &[(usize, usize)]) -> Block {
    let start = spans[0].0;
    let end = spans[spans.len() - 1].1;
    let lines = spans
        .iter()
        .map(|&(s, e)| classify(&text[s..e], s - start))
        .collect();
    Block {
        start,
        data: Arc::new(block_data(&text[start..end], lines)),
    }
}

/// Parses the text of one block (non-blank lines only).
pub fn parse_block(text: &str) -> BlockData {
    let lines: Vec<Line> = line_spans(text)
        .map(|(start, end, _)| classify(&text[start..end], start))
        .collect();
    block_data(text, lines)
}

fn block_data(text: &str, lines: Vec<Line>) -> BlockData {
    let plain = !lines.iter().any(|l| {
        l.kind == LineKind::Fence || {
            // Both marks hold `-`: one byte search rules most lines out.
            let content = &text[l.content.as_range()];
            memchr::memchr(b'-', content.as_bytes()).is_some()
                && (content.contains("<!--") || content.contains("-->"))
        }
    });
    BlockData {
        len: text.len(),
        lines,
        plain,
    }
}

/// Classifies one line; `at` is its offset, added to every range.
pub fn classify(line: &str, at: usize) -> Line {
    let range = TextRange::new(at, at + line.len());
    let trimmed_start = line.len() - line.trim_start_matches(is_pad).len();
    let trimmed = line.trim_matches(is_pad);
    let content = TextRange::new(at + trimmed_start, at + trimmed_start + trimmed.len());
    let make = |kind, content, cells| Line {
        range,
        kind,
        content,
        cells,
    };

    if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
        return make(LineKind::Fence, content, Cells::NONE);
    }
    if let Some((level, text_start)) = md_heading(line) {
        let body = line[text_start..].trim_end_matches(is_pad);
        let body = body.trim_end_matches('#').trim_end_matches(is_pad);
        let body_start = text_start
            + (line[text_start..].len() - line[text_start..].trim_start_matches(is_pad).len());
        let body_end = (text_start + body.len()).max(body_start);
        return make(
            LineKind::MdHeading(level),
            TextRange::new(at + body_start, at + body_end),
            Cells::NONE,
        );
    }
    if is_html_table_line(trimmed) {
        return make(LineKind::Html, content, Cells::NONE);
    }
    if memchr::memchr(b'\t', line.as_bytes()).is_some() {
        let lead = line.len() - line.trim_start_matches([' ', '\u{3000}']).len();
        let rest = &line[lead..];
        if let Some(after_tab) = rest.strip_prefix('\t') {
            if !after_tab.contains('\t') {
                let slot = TextRange::new(at + lead + 1, at + line.len());
                return make(
                    LineKind::WordCell,
                    content,
                    Cells::One(Some(cell_in(line, at, slot))),
                );
            }
        }
        return make(
            LineKind::TabRow,
            content,
            split_cells(line, at, '\t').into(),
        );
    }
    if let Some(first_pipe) = first_unescaped_pipe(line) {
        let after = &line[first_pipe + 1..];
        if after.chars().all(|c| c == '|' || is_pad(c)) {
            // `cell |`, `cell | |||`, or a bare `|` for an empty cell: one cell copied from a web page.
            let slot = TextRange::new(at, at + first_pipe);
            return make(
                LineKind::WebCell,
                content,
                Cells::One(Some(cell_in(line, at, slot))),
            );
        }
        let cells = pipe_cells(line, at);
        let is_separator = !cells.is_empty()
            && cells.iter().all(|c| {
                let s = &line[c.content.start - at..c.content.end - at];
                !s.is_empty() && s.trim_matches(':').chars().all(|ch| ch == '-') && s.contains('-')
            });
        let kind = if is_separator {
            LineKind::PipeSeparator
        } else {
            LineKind::PipeRow
        };
        return make(kind, content, cells.into());
    }
    make(LineKind::Text, content, Cells::NONE)
}

/// Tags that make up an HTML table, at the start of a line.
const HTML_TABLE_TAGS: &[&str] = &[
    "<table",
    "</table",
    "<tr",
    "</tr",
    "<td",
    "</td",
    "<th",
    "</th",
    "<thead",
    "</thead",
    "<tbody",
    "</tbody",
    "<tfoot",
    "</tfoot",
    "<colgroup",
    "</colgroup",
    "<col",
    "<caption",
    "</caption",
];

fn is_html_table_line(trimmed: &str) -> bool {
    if !trimmed.starts_with('<') {
        return false;
    }
    let lower = trimmed
        .get(..trimmed.len().min(10))
        .unwrap_or(trimmed)
        .to_ascii_lowercase();
    HTML_TABLE_TAGS.iter().any(|t| {
        lower.starts_with(t) && lower[t.len()..].starts_with(['>', ' ', '/', '\t']) || lower == *t
    })
}

fn first_unescaped_pipe(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    // Most lines have no pipe, or no backslash before the first: two fast byte searches.
    let first = memchr::memchr(b'|', bytes)?;
    if memchr::memchr(b'\\', &bytes[..first]).is_none() {
        return Some(first);
    }
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Spaces that pad a line or a cell (not tabs: they separate cells).
fn is_pad(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '\u{a0}' | '\r' | '\u{feff}' | '\u{200b}'
    )
}

fn md_heading(line: &str) -> Option<(u8, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let after = &rest[hashes..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    Some((hashes as u8, indent + hashes))
}

/// A cell whose slot is `slot` (absolute), with its content trimmed.
fn cell_in(line: &str, at: usize, slot: TextRange) -> RawCell {
    let s = &line[slot.start - at..slot.end - at];
    let inner = crate::text::trim_pad(s, |c: char| is_pad(c) || c == '\t');
    // Where the trimmed text starts in `s` (a subslice of it).
    let lead = inner.as_ptr() as usize - s.as_ptr() as usize;
    let content = if inner.is_empty() {
        let mid = slot.start + s.len().min(1);
        TextRange::empty(if s.is_char_boundary(mid - slot.start) {
            mid
        } else {
            slot.start
        })
    } else {
        TextRange::new(slot.start + lead, slot.start + lead + inner.len())
    };
    RawCell { content, slot }
}

fn split_cells(line: &str, at: usize, sep: char) -> Vec<RawCell> {
    let mut cells = Vec::new();
    let mut start = 0;
    for (i, c) in line.char_indices() {
        if c == sep {
            cells.push(cell_in(line, at, TextRange::new(at + start, at + i)));
            start = i + c.len_utf8();
        }
    }
    cells.push(cell_in(
        line,
        at,
        TextRange::new(at + start, at + line.len()),
    ));
    cells
}

/// Cells of `| a | b |` or `a | b`: text before the first pipe or after the last is a cell
/// only when the row has no outer pipe on that side.
fn pipe_cells(line: &str, at: usize) -> Vec<RawCell> {
    let mut bounds = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'|' => bounds.push(i),
            _ => {}
        }
        i += 1;
    }
    let mut cells = Vec::new();
    if let Some(&first) = bounds.first() {
        if !line[..first].trim_matches(is_pad).is_empty() {
            cells.push(cell_in(line, at, TextRange::new(at, at + first)));
        }
    }
    for w in bounds.windows(2) {
        cells.push(cell_in(line, at, TextRange::new(at + w[0] + 1, at + w[1])));
    }
    // A row may omit its closing pipe.
    if let Some(&last) = bounds.last() {
        let tail = &line[last + 1..];
        if !tail.trim_matches(is_pad).is_empty() {
            cells.push(cell_in(
                line,
                at,
                TextRange::new(at + last + 1, at + line.len()),
            ));
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_padding_is_never_printable_ascii() {
        // `cell_in` trims with `trim_pad`, which keeps printable ASCII ends unread.
        assert!(('!'..='~').all(|c| !is_pad(c) && c != '\t'));
        let line = "\u{3000}12\t";
        let cell = cell_in(line, 10, TextRange::new(10, 10 + line.len()));
        assert_eq!(cell.content, TextRange::new(13, 15));
    }

    fn kinds(text: &str) -> Vec<LineKind> {
        parse_block(text).lines.iter().map(|l| l.kind).collect()
    }

    fn cells(text: &str) -> Vec<String> {
        let line = classify(text, 0);
        line.cells
            .iter()
            .map(|c| text[c.content.as_range()].to_string())
            .collect()
    }

    #[test]
    fn html_and_pipe_rows_without_outer_pipes() {
        assert_eq!(
            kinds("<table>\n<tr class=\"odd\">\n<td colspan=\"4\">规章</td>\n</table>"),
            vec![LineKind::Html; 4]
        );
        assert_eq!(kinds("<tablet>"), vec![LineKind::Text]);
        assert_eq!(
            kinds("信息内容 | 本年制发件数\n--- | ---\n规章 | 0"),
            vec![
                LineKind::PipeRow,
                LineKind::PipeSeparator,
                LineKind::PipeRow
            ]
        );
    }

    #[test]
    fn shapes() {
        assert_eq!(
            kinds("## 一、总体情况\n| a | b |\n|---|:-:|\n规章\t0\t0\n\t信息内容\n\t\n本年制发件数 |\n0 | ||\n正文。"),
            vec![
                LineKind::MdHeading(2),
                LineKind::PipeRow,
                LineKind::PipeSeparator,
                LineKind::TabRow,
                LineKind::WordCell,
                LineKind::WordCell,
                LineKind::WebCell,
                LineKind::WebCell,
                LineKind::Text,
            ]
        );
    }

    #[test]
    fn cells_of_each_shape() {
        assert_eq!(cells("| 规章 | 0 |  |"), vec!["规章", "0", ""]);
        assert_eq!(cells("| 规章 | 0"), vec!["规章", "0"]);
        assert_eq!(cells("规章 | 0 | 0"), vec!["规章", "0", "0"]);
        assert_eq!(
            cells("三、本年度办理结果 | （一）予以公开 |  | 5 |"),
            vec!["三、本年度办理结果", "（一）予以公开", "", "5"]
        );
        assert_eq!(cells("\u{a0} |"), vec![""]);
        assert_eq!(cells("|"), vec![""]);
        assert_eq!(
            cells("\t2.重复申请\t5\t\t0"),
            vec!["", "2.重复申请", "5", "", "0"]
        );
        assert_eq!(cells("\t行政许可"), vec!["行政许可"]);
        assert_eq!(cells("\t"), vec![""]);
        assert_eq!(cells("第二十条第(一)项 | |||"), vec!["第二十条第(一)项"]);
        assert_eq!(cells("自 然 人 |"), vec!["自 然 人"]);
    }

    #[test]
    fn empty_cell_sits_inside_its_slot() {
        let line = classify("| a |   | b |", 0);
        let empty = line.cells[1];
        assert!(empty.content.is_empty());
        assert!(empty.slot.start < empty.content.start && empty.content.start <= empty.slot.end);
    }

    #[test]
    fn heading_text_range() {
        let text = "### 四、政府信息公开行政复议、行政诉讼情况 ##";
        let line = classify(text, 0);
        assert_eq!(line.kind, LineKind::MdHeading(3));
        assert_eq!(
            &text[line.content.as_range()],
            "四、政府信息公开行政复议、行政诉讼情况"
        );
        assert_eq!(classify("#标签", 0).kind, LineKind::Text);
    }

    #[test]
    fn blocks_split_at_blank_lines_but_not_at_tab_lines() {
        let text = "一\r\n二\n\n\t\n\t3\n  \n四";
        let blocks = split_blocks(text);
        assert_eq!(blocks.len(), 3);
        assert_eq!(&text[blocks[0].range().as_range()], "一\r\n二");
        assert_eq!(&text[blocks[1].range().as_range()], "\t\n\t3");
        assert_eq!(&text[blocks[2].range().as_range()], "四");
        let line = &blocks[0].data.lines[0];
        assert_eq!(line.range, TextRange::new(0, 3));
    }
}
