//! Diagnostics as text: `path:line:col: severity[CODE] message` and a code frame whose carets
//! line up under CJK text (wide characters take two columns).

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::fix::apply_fixes;
use crate::lang::Lang;
use crate::line_index::{ColumnUnit, LineIndex};
use crate::tr;

/// How many display columns of a long line to show.
const WINDOW: usize = 80;
/// How many columns to keep before the marked text when a long line is cut.
const LEAD: usize = 24;

pub struct Renderer<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub lang: Lang,
}

impl Renderer<'_> {
    /// The first line of a diagnostic: `path:line:col: severity[CODE] message` (1-based, columns in characters).
    pub fn headline(&self, d: &Diagnostic) -> String {
        let lc = self
            .index
            .line_col(self.text, d.range.start, ColumnUnit::Char);
        format!(
            "{}:{}:{}: {}[{}] {}",
            self.path,
            lc.line + 1,
            lc.col + 1,
            d.severity.as_str(),
            d.code,
            d.message
        )
    }

    /// The headline, a code frame, and notes for the fix and related places.
    pub fn render(&self, d: &Diagnostic) -> String {
        let mut out = self.headline(d);
        out.push('\n');
        let lc = self
            .index
            .line_col(self.text, d.range.start, ColumnUnit::Char);
        let line = lc.line as usize;
        let line_range = self.index.line_range(self.text, line);
        let gutter = (line + 1).to_string().len().max(2);
        let line_text = &self.text[line_range.as_range()];
        let start = d.range.start.clamp(line_range.start, line_range.end) - line_range.start;
        let end = d
            .range
            .end
            .clamp(line_range.start, line_range.end)
            .max(start + line_range.start)
            - line_range.start;
        let (shown, caret_at, caret_len) = window(line_text, start, end);
        let _ = writeln!(out, "{:gutter$} |", "");
        let _ = writeln!(out, "{:>gutter$} | {shown}", line + 1);
        let _ = writeln!(
            out,
            "{:gutter$} | {}{}",
            "",
            " ".repeat(caret_at),
            "^".repeat(caret_len.max(1))
        );
        if let Some(fix) = &d.fix {
            let safety = match (fix.applicability, self.lang) {
                (Applicability::Safe, Lang::Zh) => "修复",
                (Applicability::Unsafe, Lang::Zh) => "修复（需确认）",
                (Applicability::Safe, Lang::En) => "fix",
                (Applicability::Unsafe, Lang::En) => "fix (unsafe)",
            };
            let _ = writeln!(out, "{:gutter$} = {safety}: {}", "", fix.title);
        }
        for r in &d.related {
            let at = self
                .index
                .line_col(self.text, r.range.start, ColumnUnit::Char);
            let note = tr!(self.lang, "参见", "see");
            let _ = writeln!(
                out,
                "{:gutter$} = {note} {}:{}: {}",
                "",
                at.line + 1,
                at.col + 1,
                r.message
            );
        }
        out
    }

    /// The lines a fix changes, before and after, as `-`/`+` lines.
    pub fn fix_diff(&self, fix: &Fix) -> String {
        let (fixed, _) = apply_fixes(self.text, [fix]);
        let first = fix.edits.first().map_or(0, |e| e.range.start);
        let last = fix.edits.last().map_or(0, |e| e.range.end);
        let old_start = self.index.line_of(first);
        let old_end = self.index.line_of(last);
        let delta: isize = fix
            .edits
            .iter()
            .map(|e| e.new_text.len() as isize - e.range.len() as isize)
            .sum();
        let new_index = LineIndex::new(&fixed);
        let new_last = (last as isize + delta).max(0) as usize;
        let new_end = new_index.line_of(new_last.min(fixed.len()));
        let mut out = String::new();
        for l in old_start..=old_end {
            let r = self.index.line_range(self.text, l);
            let _ = writeln!(out, "-{}", &self.text[r.as_range()]);
        }
        for l in old_start..=new_end {
            let r = new_index.line_range(&fixed, l);
            let _ = writeln!(out, "+{}", &fixed[r.as_range()]);
        }
        out
    }
}

fn char_width(c: char) -> usize {
    match c {
        '\t' => 1,
        c => c.width().unwrap_or(0),
    }
}

/// The shown part of a line, the caret's column and its width, for bytes `start..end`.
fn window(line: &str, start: usize, end: usize) -> (String, usize, usize) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let width_before: usize = chars
        .iter()
        .take_while(|(i, _)| *i < start)
        .map(|(_, c)| char_width(*c))
        .sum();
    let total: usize = chars.iter().map(|(_, c)| char_width(*c)).sum();
    let mut from = 0;
    if total > WINDOW && width_before > LEAD {
        let mut skipped = 0;
        while from < chars.len() && width_before - skipped > LEAD {
            skipped += char_width(chars[from].1);
            from += 1;
        }
    }
    let mut shown = String::new();
    let mut col = 0;
    if from > 0 {
        shown.push('…');
        col += 1;
    }
    let mut caret_at = None;
    let mut caret_len = 0;
    let mut cut = false;
    for &(i, c) in &chars[from..] {
        let w = char_width(c);
        if col + w > WINDOW {
            cut = true;
            break;
        }
        if i >= start && caret_at.is_none() {
            caret_at = Some(col);
        }
        if i >= start && i < end {
            caret_len += w;
        }
        shown.push(if c == '\t' { ' ' } else { c });
        col += w;
    }
    if cut {
        shown.push('…');
    }
    (shown, caret_at.unwrap_or(col), caret_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_under_wide_characters() {
        let (shown, at, len) = window(
            "其他处理，5件，占9.8%。",
            "其他处理，5件，占".len(),
            "其他处理，5件，占9.8%".len(),
        );
        assert_eq!(shown, "其他处理，5件，占9.8%。");
        assert_eq!(at, 17);
        assert_eq!(len, 4);
    }

    #[test]
    fn long_lines_are_cut_around_the_mark() {
        let line = "甲".repeat(100) + "乙" + &"丙".repeat(100);
        let start = "甲".len() * 100;
        let (shown, at, len) = window(&line, start, start + "乙".len());
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let mut col = 0;
        let marked = shown.chars().find(|c| {
            let here = col == at;
            col += char_width(*c);
            here
        });
        assert_eq!(marked, Some('乙'));
        assert_eq!(len, 2);
    }

    #[test]
    fn emoji_take_two_columns() {
        let (_, at, _) = window("😀x", "😀".len(), "😀x".len());
        assert_eq!(at, 2);
    }
}
