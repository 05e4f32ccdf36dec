//! Byte offset <-> line and column, the one place positions are converted.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the Language Server Protocol defines them.
//! Columns are counted in UTF-8 bytes, UTF-16 code units or Unicode scalar values (chars).

use crate::text::TextRange;

/// How a column is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    Utf8,
    Utf16,
    Char,
}

/// Pushes the start of every line that begins after `from` and before `to` (or at `to` too,
/// when `to` is the end of the text and no later start is known).
fn scan(bytes: &[u8], from: usize, to: usize, to_is_known: bool, starts: &mut Vec<usize>) {
    let end = if !to_is_known && to >= bytes.len() {
        bytes.len() + 1
    } else {
        to
    };
    let mut i = from;
    // Most bytes are neither terminator: jump from one to the next.
    while let Some(p) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n' || b == b'\r'))
    {
        i += p;
        let next = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            _ => i + 1,
        };
        if next >= end {
            break;
        }
        starts.push(next);
        i = next;
    }
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        scan(text.as_bytes(), 0, text.len(), false, &mut starts);
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Updates the index after `old[start..old_end]` became `text[start..new_end]`, scanning
    /// only the changed lines; the result equals `LineIndex::new(text)`.
    pub fn edit(&mut self, text: &str, start: usize, old_end: usize, new_end: usize) {
        *self = self.edited(text, start, old_end, new_end);
    }

    /// The index of `text`, which is this index's text with `start..old_end` replaced by
    /// `start..new_end`, made in one pass (the old index may still be in use).
    pub fn edited(&self, text: &str, start: usize, old_end: usize, new_end: usize) -> LineIndex {
        let delta = new_end as isize - old_end as isize;
        // Lines starting before the edit keep their start; the one holding it is scanned again
        // (an inserted `\n` may join a `\r` before it into one terminator).
        let keep = self.starts.partition_point(|&s| s < start).max(1);
        let scan_from = self.starts[keep - 1];
        // Lines whose terminator ends after the edit only move.
        let tail_from = self.starts.partition_point(|&s| s <= old_end + 1);
        let tail = &self.starts[tail_from..];
        let moved = |s: usize| (s as isize + delta) as usize;
        let scan_to = tail.first().map_or(text.len(), |&s| moved(s));
        let mut starts = Vec::with_capacity(self.starts.len() + 16);
        starts.extend_from_slice(&self.starts[..keep]);
        scan(
            text.as_bytes(),
            scan_from,
            scan_to,
            !tail.is_empty(),
            &mut starts,
        );
        starts.extend(tail.iter().map(|&s| moved(s)));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The line's text range without its terminator.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let Some(&start) = self.starts.get(line) else {
            return TextRange::empty(self.len);
        };
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// The line that holds `offset` (an offset at a terminator belongs to the line it ends).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let line_range = self.line_range(text, line);
        let end = offset.min(line_range.end).max(line_range.start);
        let col = column_width(&text[line_range.start..end], unit);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a position; positions past a line's end clamp to its end,
    /// lines past the text's end clamp to the end, and a column inside a character snaps to its start.
    pub fn offset(&self, text: &str, pos: LineCol, unit: ColumnUnit) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let mut remaining = pos.col as usize;
        for (i, c) in text[range.as_range()].char_indices() {
            let width = char_width(c, unit);
            if remaining < width {
                return range.start + i;
            }
            remaining -= width;
            if remaining == 0 {
                return range.start + i + c.len_utf8();
            }
        }
        range.end
    }
}

fn char_width(c: char, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => c.len_utf8(),
        ColumnUnit::Utf16 => c.len_utf16(),
        ColumnUnit::Char => 1,
    }
}

/// The width of `s` in the given unit.
pub fn column_width(s: &str, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => s.len(),
        ColumnUnit::Utf16 => s.chars().map(char::len_utf16).sum(),
        ColumnUnit::Char => s.chars().count(),
    }
}

pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Updating the index after an edit gives the index of the new text, whatever the
        /// terminators around the edit.
        #[test]
        fn edits_update_the_index(
            old in "[a\r\n报]{0,40}",
            insert in "[b\r\n]{0,6}",
            at in 0usize..41,
            len in 0usize..6,
        ) {
            let start = old.floor_char_boundary(at.min(old.len()));
            let old_end = old.floor_char_boundary((start + len).min(old.len()));
            let new = format!("{}{insert}{}", &old[..start], &old[old_end..]);
            let mut idx = LineIndex::new(&old);
            idx.edit(&new, start, old_end, start + insert.len());
            let fresh = LineIndex::new(&new);
            proptest::prop_assert_eq!(&idx.starts, &fresh.starts);
            proptest::prop_assert_eq!(idx.len, fresh.len);
        }
    }

    #[test]
    fn scanning_agrees_with_the_definition() {
        for text in ["", "a", "\n", "a\r\nb\rc\n", "\r\r\n\n", "x\n"] {
            let mut want = vec![0];
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                if b[i] == b'\n' || b[i] == b'\r' {
                    want.push(i + 1);
                }
                i += 1;
            }
            assert_eq!(LineIndex::new(text).starts, want, "{text:?}");
        }
    }

    #[test]
    fn cjk_emoji_and_ext_b_columns() {
        // "报" is 3 UTF-8 bytes and 1 UTF-16 unit; "😀" and "𠀀" are 4 bytes and 2 units.
        let text = "报😀𠀀x\n第二行";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            idx.line_col(text, x, ColumnUnit::Utf16),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            idx.line_col(text, x, ColumnUnit::Char),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.line_col(text, x, ColumnUnit::Utf8),
            LineCol { line: 0, col: 11 }
        );
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            let lc = idx.line_col(text, x, unit);
            assert_eq!(idx.offset(text, lc, unit), x);
        }
        let second = text.find('第').unwrap();
        assert_eq!(
            idx.line_col(text, second, ColumnUnit::Utf16),
            LineCol { line: 1, col: 0 }
        );
    }

    #[test]
    fn column_inside_surrogate_pair_snaps_to_char_start() {
        let text = "a😀b";
        let idx = LineIndex::new(text);
        let off = idx.offset(text, LineCol { line: 0, col: 2 }, ColumnUnit::Utf16);
        assert_eq!(off, 1);
    }

    #[test]
    fn crlf_lone_cr_and_missing_final_newline() {
        let text = "一\r\n二\r三\n四";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(&text[idx.line_range(text, 0).as_range()], "一");
        assert_eq!(&text[idx.line_range(text, 1).as_range()], "二");
        assert_eq!(&text[idx.line_range(text, 2).as_range()], "三");
        assert_eq!(&text[idx.line_range(text, 3).as_range()], "四");
        // The `\r` of `\r\n` belongs to line 0 and maps to its end.
        let cr = text.find('\r').unwrap();
        assert_eq!(
            idx.line_col(text, cr, ColumnUnit::Utf16),
            LineCol { line: 0, col: 1 }
        );
        assert_eq!(
            idx.line_col(text, cr + 1, ColumnUnit::Utf16),
            LineCol { line: 0, col: 1 }
        );
    }

    #[test]
    fn positions_past_the_end_clamp() {
        let text = "ab\ncd";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, ColumnUnit::Utf16),
            2
        );
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, ColumnUnit::Utf16),
            5
        );
        assert_eq!(
            idx.line_col(text, 99, ColumnUnit::Char),
            LineCol { line: 1, col: 2 }
        );
    }

    #[test]
    fn trailing_newline_makes_an_empty_last_line() {
        let text = "a\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 2);
        assert_eq!(
            idx.line_col(text, 2, ColumnUnit::Utf16),
            LineCol { line: 1, col: 0 }
        );
    }
}
