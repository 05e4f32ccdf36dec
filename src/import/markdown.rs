//! The model both readers produce (paragraphs with a hint of how they looked, and resolved
//! table grids) and how it is written as the Markdown reportlint's parser reads best.

/// How a paragraph looked in its source; it decides whether the paragraph becomes a title or
/// a heading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hint {
    Plain,
    /// Centred or bold.
    Emphasis,
    /// Word's Title style, or an HTML `h1`.
    Title,
    /// A Word heading style or outline level, or an HTML `h2`–`h6`, with its level.
    Heading(u8),
}

/// A paragraph or a table, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Block {
    /// The lines of a paragraph, split where the source had a line break.
    Paragraph { lines: Vec<String>, hint: Hint },
    /// Rows of cells; merged cells are already resolved into empty cells.
    Table(Vec<Vec<GridCell>>),
}

/// One position of a resolved table grid.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct GridCell {
    pub text: String,
    /// Covered by a cell to its left (a horizontal span), or a position no cell fills.
    pub spanned: bool,
}

impl GridCell {
    pub(crate) fn new(text: String) -> GridCell {
        GridCell {
            text,
            spanned: false,
        }
    }

    pub(crate) fn spanned() -> GridCell {
        GridCell {
            text: String::new(),
            spanned: true,
        }
    }

    fn is_empty(&self) -> bool {
        self.text.trim_matches(is_pad).is_empty()
    }
}

impl Block {
    pub(crate) fn paragraph(lines: Vec<String>, hint: Hint) -> Block {
        Block::Paragraph { lines, hint }
    }
}

/// Characters written without a space between them when two fragments meet: CJK ideographs,
/// CJK and full-width punctuation, and the curly quotes Chinese text uses.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(
        c as u32,
        0x2E80..=0x2FDF
            | 0x3000..=0x303F
            | 0x3040..=0x30FF
            | 0x3190..=0x31FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFFEF
            | 0x20000..=0x3FFFF
            | 0x2018..=0x201F
            | 0x2014
            | 0x2026
            | 0x00B7
    )
}

/// Spaces trimmed from the ends of a paragraph or a cell.
pub(crate) fn is_pad(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}')
}

/// Joins text fragments (the paragraphs of a cell, or the characters of vertical text): with
/// nothing between them when both sides are CJK, otherwise with one space.
pub(crate) fn join_fragments<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = part.as_ref().trim_matches(is_pad);
        if part.is_empty() {
            continue;
        }
        if let (Some(a), Some(b)) = (out.chars().next_back(), part.chars().next()) {
            if !(is_cjk(a) && is_cjk(b)) {
                out.push(' ');
            }
        }
        out.push_str(part);
    }
    out
}

/// The longest title line the parser accepts.
const TITLE_MAX_CHARS: usize = 60;
/// The longest unstyled line that is turned into a section heading by its numbering.
const HEADING_MAX_CHARS: usize = 40;

/// `…年度报告` on one short line without a full stop, and not a breadcrumb.
fn is_title_text(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| is_pad(c) || c == '*');
    t.ends_with("年度报告")
        && t.chars().count() <= TITLE_MAX_CHARS
        && !t.contains(['。', '>', '›', '»'])
}

fn has_year(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(5).any(|w| {
        w[..4].iter().all(char::is_ascii_digit) && w[4] == '年' && matches!(w[0], '1' | '2')
    })
}

/// `一、` … `十、` (or `一．`), or `第一部分`, at the start of the text.
pub(crate) fn is_section_numbered(text: &str) -> bool {
    const NUMERALS: &[char] = &['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
    let t = text.trim_start_matches(|c: char| is_pad(c) || c == '*');
    if let Some(rest) = t.strip_prefix('第') {
        let rest = rest.trim_start_matches(NUMERALS);
        return rest.len() < t.len() - '第'.len_utf8() && rest.starts_with("部分");
    }
    let rest = t.trim_start_matches(NUMERALS);
    rest.len() < t.len() && rest.starts_with(['、', '．', '.'])
}

/// `（一）`, `(一)`, `（1）` or `1.` at the start: a sub-item, which stays a paragraph.
fn is_subitem_numbered(text: &str) -> bool {
    let t = text.trim_start_matches(is_pad);
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        let inner = rest.split([')', '）']).next().unwrap_or("");
        return inner.len() < rest.len()
            && !inner.is_empty()
            && inner.chars().count() <= 3
            && inner
                .chars()
                .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c));
    }
    let digits = t.trim_start_matches(|c: char| c.is_ascii_digit());
    digits.len() < t.len() && digits.starts_with(['.', '．', '、'])
}

/// A paragraph's lines joined into one line.
fn one_line(lines: &[String]) -> String {
    join_fragments(lines)
}

/// Where the report's title is: the first paragraph ending in `年度报告` before the first
/// section or table, else the first paragraph there styled as a title (Word's Title style or
/// an HTML `h1`).
pub(crate) fn title_index(blocks: &[Block]) -> Option<usize> {
    let first_section = blocks
        .iter()
        .position(|b| match b {
            Block::Paragraph { lines, .. } => is_section_numbered(&one_line(lines)),
            Block::Table(_) => true,
        })
        .unwrap_or(blocks.len());
    let head = &blocks[..first_section];
    let by_text = head.iter().position(|b| match b {
        Block::Paragraph { lines, .. } => is_title_text(&one_line(lines)),
        Block::Table(_) => false,
    });
    let by_hint = |wanted: Hint| {
        head.iter().position(|b| match b {
            Block::Paragraph { lines, hint } => {
                *hint == wanted && one_line(lines).chars().count() <= TITLE_MAX_CHARS
            }
            Block::Table(_) => false,
        })
    };
    by_text.or_else(|| by_hint(Hint::Title))
}

/// Whether the paragraph before a title holds its first half: the agency on one line and
/// the year on the next, or a break in the middle of a word (the parser's rule).
fn joins_title(prev: &str, title: &str) -> bool {
    if prev.is_empty()
        || prev.chars().count() > 30
        || prev.contains(['。', '，', '：', '>'])
        || is_section_numbered(prev)
        || is_title_text(prev)
    {
        return false;
    }
    if !has_year(title) {
        return has_year(prev);
    }
    title.starts_with(|c: char| c.is_ascii_digit())
        && !prev.contains(|c: char| c.is_ascii_digit())
        && !prev.ends_with('日')
}

/// Writes the blocks as Markdown; `notes` learns what was guessed.
pub(crate) fn render(blocks: &[Block], notes: &mut Vec<super::Note>) -> String {
    let title = title_index(blocks);
    let mut joined_with_title = None;
    if let Some(t) = title.filter(|t| *t > 0) {
        if let (Block::Paragraph { lines: prev, .. }, Block::Paragraph { lines, .. }) =
            (&blocks[t - 1], &blocks[t])
        {
            let (prev, cur) = (one_line(prev), one_line(lines));
            if joins_title(&prev, &cur) {
                joined_with_title = Some(t - 1);
                notes.push(note!(
                    "把分成两段的标题合并：「{prev}」和「{cur}」。",
                    "Joined the title split over two paragraphs: “{prev}” and “{cur}”."
                ));
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if Some(i) == joined_with_title {
            continue;
        }
        match block {
            Block::Table(rows) => {
                let (caption, rows) = split_caption(rows);
                if let Some(caption) = caption {
                    notes.push(note!(
                        "把表格中的标题行「{caption}」移到表格上方。",
                        "Moved the caption row “{caption}” out of its table, above it."
                    ));
                    out.push(caption);
                }
                if let Some(table) = render_table(rows) {
                    out.push(table);
                }
            }
            Block::Paragraph { lines, hint } => {
                let text = one_line(lines);
                if text.is_empty() {
                    continue;
                }
                if Some(i) == title {
                    let text = match joined_with_title {
                        Some(p) => match &blocks[p] {
                            Block::Paragraph { lines: prev, .. } => {
                                let mut t = one_line(prev);
                                t.push_str(&text);
                                t
                            }
                            Block::Table(_) => text,
                        },
                        None => text,
                    };
                    out.push(format!("# {text}"));
                } else if title.is_some_and(|t| i > t)
                    && *hint != Hint::Plain
                    && is_title_text(&text)
                    && has_year(&text)
                {
                    // A later styled title starts another report of a compendium.
                    out.push(format!("# {text}"));
                } else if is_heading(&text, *hint) {
                    out.push(format!("## {text}"));
                } else {
                    out.push(paragraph_text(lines));
                }
            }
        }
    }
    let mut md = out.join("\n\n");
    if !md.is_empty() {
        md.push('\n');
    }
    md
}

fn is_heading(text: &str, hint: Hint) -> bool {
    match hint {
        Hint::Heading(1..=3) | Hint::Title => !is_subitem_numbered(text),
        _ => is_section_numbered(text) && text.chars().count() <= HEADING_MAX_CHARS,
    }
}

/// A plain paragraph: its lines, each kept from looking like a table row or heading.
fn paragraph_text(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| l.replace('\t', " "))
        .map(|l| l.trim_matches(is_pad).to_string())
        .filter(|l| !l.is_empty())
        .map(|l| {
            if l.starts_with('|') {
                format!("\\{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A first row that only holds a caption such as `表三：收到和处理政府信息公开申请情况`, which
/// the parser would take for a mislabelled row; and the rows after it.
fn split_caption(rows: &[Vec<GridCell>]) -> (Option<String>, &[Vec<GridCell>]) {
    let Some(first) = rows.iter().position(|r| r.iter().any(|c| !c.is_empty())) else {
        return (None, rows);
    };
    let texts: Vec<&str> = rows[first]
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| c.text.trim_matches(is_pad))
        .collect();
    let is_caption = |t: &str| {
        let rest = t.strip_prefix("附表").or_else(|| t.strip_prefix('表'));
        rest.and_then(|r| r.chars().next())
            .is_some_and(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
    };
    match texts.as_slice() {
        [text] if is_caption(text) && rows.len() > first + 1 => {
            (Some(flat(text)), &rows[first + 1..])
        }
        _ => (None, rows),
    }
}

/// A GFM pipe table, every row as wide as the widest, or `None` when no cell has text.
/// Rows without text are left out, and so are columns that no cell of their own fills in any
/// row (Word's sliver grid columns, covered by spans everywhere); blank cells stay.
fn render_table(rows: &[Vec<GridCell>]) -> Option<String> {
    let rows: Vec<&Vec<GridCell>> = rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .collect();
    let width = rows.iter().map(|r| r.len()).max()?;
    let keep: Vec<usize> = (0..width)
        .filter(|&c| {
            rows.iter().any(|r| {
                r.get(c)
                    .is_some_and(|cell| !cell.spanned || !cell.is_empty())
            })
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = keep
            .iter()
            .map(|&c| cell_text(row.get(c).map_or("", |cell| cell.text.as_str())))
            .collect();
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("| {} |", cells.join(" | ")));
        if i == 0 {
            out.push('\n');
            out.push_str(&format!("| {} |", vec!["---"; keep.len()].join(" | ")));
        }
    }
    Some(out)
}

/// A cell's text on one line.
fn flat(text: &str) -> String {
    text.split(['\n', '\r', '\t'])
        .map(|s| s.trim_matches(is_pad))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cell's text on one line, with `|` escaped.
fn cell_text(text: &str) -> String {
    flat(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<GridCell>> {
        rows.iter()
            .map(|r| r.iter().map(|c| GridCell::new(c.to_string())).collect())
            .collect()
    }

    fn para(text: &str) -> Block {
        Block::paragraph(vec![text.to_string()], Hint::Plain)
    }

    #[test]
    fn fragments_join_without_space_only_between_cjk() {
        assert_eq!(join_fragments(["结", "果", " 维", "持 "]), "结果维持");
        assert_eq!(join_fragments(["（三）", "不予", "公开"]), "（三）不予公开");
        assert_eq!(join_fragments(["总计", "12"]), "总计 12");
        assert_eq!(join_fragments(["a", "", "b"]), "a b");
    }

    #[test]
    fn numbering_shapes() {
        assert!(is_section_numbered("一、总体情况"));
        assert!(is_section_numbered("第二部分 主动公开"));
        assert!(!is_section_numbered("一是加强领导"));
        assert!(!is_section_numbered("（一）主动公开"));
        assert!(is_subitem_numbered("（一）主动公开"));
        assert!(is_subitem_numbered("(2)其他"));
        assert!(is_subitem_numbered("1.属于国家秘密"));
        assert!(!is_subitem_numbered("2022年"));
    }

    #[test]
    fn split_title_is_joined() {
        let blocks = vec![
            para("重庆市荣昌区人民政府"),
            para("2021年政府信息公开工作年度报告"),
            para("一、总体情况"),
            para("（一）主动公开。本年度……"),
        ];
        let mut notes = Vec::new();
        let md = render(&blocks, &mut notes);
        assert_eq!(
            md,
            "# 重庆市荣昌区人民政府2021年政府信息公开工作年度报告\n\n## 一、总体情况\n\n（一）主动公开。本年度……\n"
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn caption_rows_move_above_their_table() {
        let rows = grid(&[
            &["表三：收到和处理政府信息公开申请情况", ""],
            &["自然人", "总计"],
        ]);
        let mut notes = Vec::new();
        let md = render(&[Block::Table(rows)], &mut notes);
        assert_eq!(
            md,
            "表三：收到和处理政府信息公开申请情况\n\n| 自然人 | 总计 |\n| --- | --- |\n"
        );
        assert_eq!(notes.len(), 1);
        let block_caption = grid(&[&["第二十条第（一）项", ""], &["a", "b"]]);
        assert_eq!(split_caption(&block_caption).0, None);
    }

    #[test]
    fn table_rows_are_padded_and_empty_ones_dropped() {
        let mut rows = grid(&[&["a|b", ""], &["", "", ""], &["c", "1", "", ""]]);
        rows[2][3].spanned = true;
        assert_eq!(
            render_table(&rows).unwrap(),
            "| a\\|b |  |  |\n| --- | --- | --- |\n| c | 1 |  |"
        );
    }
}
