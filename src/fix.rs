//! Applying fixes to a text: sorted, non-overlapping edits, bytes outside them untouched.

use crate::diagnostic::Fix;
use crate::text::TextEdit;

/// The text with as many of `fixes` applied as fit together, and the indexes of those applied.
///
/// Fixes are taken in order of their first edit; a fix whose edits overlap an edit already taken
/// (or insert at the same place) is left out, so that applying the result again is meaningful.
pub fn apply_fixes<'a>(
    text: &str,
    fixes: impl IntoIterator<Item = &'a Fix>,
) -> (String, Vec<usize>) {
    let (edits, applied) = select_fixes(text, fixes);
    (apply_edits(text, edits), applied)
}

/// The edits of the fixes that fit together (sorted), and the indexes of those fixes.
pub fn select_fixes<'a>(
    text: &str,
    fixes: impl IntoIterator<Item = &'a Fix>,
) -> (Vec<&'a TextEdit>, Vec<usize>) {
    let mut order: Vec<(usize, &Fix)> = fixes.into_iter().enumerate().collect();
    order.sort_by_key(|(i, f)| (f.edits.first().map_or(usize::MAX, |e| e.range.start), *i));
    let mut taken: Vec<&TextEdit> = Vec::new();
    let mut applied = Vec::new();
    for (i, fix) in order {
        if fix.edits.is_empty() || fix.edits.iter().any(|e| e.range.end > text.len()) {
            continue;
        }
        let clashes = fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| edits_conflict(e, t)) || !is_char_aligned(text, e));
        if clashes {
            continue;
        }
        taken.extend(fix.edits.iter());
        applied.push(i);
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    applied.sort_unstable();
    (taken, applied)
}

/// Applies edits that are sorted and do not overlap.
pub fn apply_edits<'a>(text: &str, edits: impl IntoIterator<Item = &'a TextEdit>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for edit in edits {
        out.push_str(&text[pos..edit.range.start]);
        out.push_str(&edit.new_text);
        pos = edit.range.end;
    }
    out.push_str(&text[pos..]);
    out
}

fn edits_conflict(a: &TextEdit, b: &TextEdit) -> bool {
    (a.range.start < b.range.end && b.range.start < a.range.end) || a.range.start == b.range.start
}

fn is_char_aligned(text: &str, e: &TextEdit) -> bool {
    text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Fix;
    use crate::text::TextRange;

    #[test]
    fn overlapping_fixes_are_left_out() {
        let text = "合计 10，分项 3 和 4";
        let a = Fix::safe(
            "a".into(),
            vec![TextEdit::replace(TextRange::new(7, 9), "7")],
        );
        let b = Fix::safe(
            "b".into(),
            vec![TextEdit::replace(TextRange::new(8, 9), "8")],
        );
        let c = Fix::safe("c".into(), vec![TextEdit::insert(0, "【")]);
        let (out, applied) = apply_fixes(text, [&a, &b, &c]);
        assert_eq!(out, "【合计 7，分项 3 和 4");
        assert_eq!(applied, vec![0, 2]);
    }

    #[test]
    fn two_insertions_at_one_place_conflict() {
        let a = Fix::safe("a".into(), vec![TextEdit::insert(1, "x")]);
        let b = Fix::safe("b".into(), vec![TextEdit::insert(1, "y")]);
        let (out, applied) = apply_fixes("ab", [&a, &b]);
        assert_eq!(out, "axb");
        assert_eq!(applied, vec![0]);
    }
}
