//! Byte ranges and edits: the only position types the core knows.

use std::ops::Range;

/// A half-open range of byte offsets into a document's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        TextRange { start, end }
    }

    pub fn empty(at: usize) -> TextRange {
        TextRange { start: at, end: at }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn shift(self, by: usize) -> TextRange {
        TextRange::new(self.start + by, self.end + by)
    }

    /// The smallest range that covers both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the ranges share a byte, or when an empty range sits inside or at the edge of the other.
    pub fn touches(self, other: TextRange) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    pub fn as_range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for TextRange {
    fn from(r: Range<usize>) -> TextRange {
        TextRange::new(r.start, r.end)
    }
}

/// Replace the bytes of `range` with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> TextEdit {
        TextEdit {
            range,
            new_text: new_text.into(),
        }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> TextEdit {
        TextEdit::replace(TextRange::empty(at), new_text)
    }

    pub fn delete(range: TextRange) -> TextEdit {
        TextEdit::replace(range, String::new())
    }
}

/// `s.trim_matches(pad)` for a `pad` that holds for no printable ASCII character (`!` to `~`),
/// such as a test for spaces: an end that is printable ASCII (a digit, most table cells) is
/// kept without decoding a character from it.
pub fn trim_pad(s: &str, pad: impl Fn(char) -> bool) -> &str {
    let printable = |b: Option<&u8>| b.is_some_and(|b| (b'!'..=b'~').contains(b));
    let s = if printable(s.as_bytes().first()) {
        s
    } else {
        s.trim_start_matches(&pad)
    };
    if printable(s.as_bytes().last()) {
        s
    } else {
        s.trim_end_matches(pad)
    }
}

/// A fixed text looked for in many texts (a rule's key word in every paragraph): its search is
/// built once, and runs over bytes with `memchr`'s vectorised search. `str::contains` with a
/// text pattern starts a new search each time, and `str::find` with one CJK character stops at
/// every byte its last byte matches, which ends many other characters too.
pub struct Needle {
    text: &'static str,
    finder: std::sync::OnceLock<memchr::memmem::Finder<'static>>,
}

impl Needle {
    pub const fn new(text: &'static str) -> Needle {
        Needle {
            text,
            finder: std::sync::OnceLock::new(),
        }
    }

    /// Where the text first occurs in `hay`.
    pub fn find(&self, hay: &str) -> Option<usize> {
        self.finder
            .get_or_init(|| memchr::memmem::Finder::new(self.text))
            .find(hay.as_bytes())
    }

    pub fn is_in(&self, hay: &str) -> bool {
        self.find(hay).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::{trim_pad, Needle};

    #[test]
    fn needles_are_found_as_str_finds_them() {
        static QI: Needle = Needle::new("其中");
        for hay in [
            "",
            "其",
            "其中",
            "共5件，其中予以公开3件",
            "甲其乙中",
            "😀其中😀",
        ] {
            assert_eq!(QI.find(hay), hay.find("其中"), "{hay}");
            assert_eq!(QI.is_in(hay), hay.contains("其中"), "{hay}");
        }
    }
    use crate::document::normalize::is_space;

    #[test]
    fn trim_pad_is_trim_matches() {
        for s in [
            "",
            " ",
            "12",
            " 12 ",
            "\u{3000}12\u{3000}",
            "无",
            " 无\t",
            "1 2",
            "a",
            "\u{a0}x",
            "x\u{feff}",
            "12 ",
            " 12",
            "（一）",
            "5件 ",
            "\t\t",
            "—",
            "😀 ",
        ] {
            assert_eq!(trim_pad(s, is_space), s.trim_matches(is_space), "{s:?}");
        }
        // What it relies on: no printable ASCII character is a space.
        assert!(('!'..='~').all(|c| !is_space(c)));
    }
}
