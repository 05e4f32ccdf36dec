//! Core values to and from LSP types: the only file that sees both. Positions are byte offsets
//! inside; here they become lines and UTF-16 (or UTF-8) columns.

use ropey::Rope;
use tower_lsp::lsp_types as lsp;

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::line_index::{ColumnUnit, LineCol, LineIndex};
use crate::text::{TextEdit, TextRange};

/// The negotiated position encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    pub fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf8 => ColumnUnit::Utf8,
            Encoding::Utf16 => ColumnUnit::Utf16,
        }
    }

    pub fn kind(self) -> lsp::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }
    }

    /// UTF-8 when the client offers it, else UTF-16 (the protocol's default).
    pub fn negotiate(offered: Option<&[lsp::PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }
}

/// Positions in one text.
pub struct Positions<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Positions<'_> {
    pub fn position(&self, offset: usize) -> lsp::Position {
        let lc = self.index.line_col(self.text, offset, self.encoding.unit());
        lsp::Position::new(lc.line, lc.col)
    }

    pub fn range(&self, r: TextRange) -> lsp::Range {
        lsp::Range::new(self.position(r.start), self.position(r.end))
    }

    pub fn offset(&self, p: lsp::Position) -> usize {
        self.index.offset(
            self.text,
            LineCol {
                line: p.line,
                col: p.character,
            },
            self.encoding.unit(),
        )
    }

    pub fn text_edit(&self, e: &TextEdit) -> lsp::TextEdit {
        lsp::TextEdit::new(self.range(e.range), e.new_text.clone())
    }
}

/// The char index of an LSP position in a rope: past a line's end clamps to its end, past the
/// last line to the text's end, inside a surrogate pair (or a UTF-8 sequence) to the char's start.
pub fn rope_char(rope: &Rope, p: lsp::Position, encoding: Encoding) -> usize {
    let line = p.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let line_slice = rope.line(line);
    let mut len = line_slice.len_chars();
    // Leave the terminator out.
    let last = |len: usize| (len >= 1).then(|| line_slice.char(len - 1));
    if last(len) == Some('\n') {
        len -= 1;
        if last(len) == Some('\r') {
            len -= 1;
        }
    } else if last(len) == Some('\r') {
        len -= 1;
    }
    let line_end = line_start + len;
    let col = p.character as usize;
    match encoding {
        Encoding::Utf16 => {
            let start_cu = rope.char_to_utf16_cu(line_start);
            let end_cu = rope.char_to_utf16_cu(line_end);
            if start_cu + col >= end_cu {
                return line_end;
            }
            rope.utf16_cu_to_char(start_cu + col)
                .clamp(line_start, line_end)
        }
        Encoding::Utf8 => {
            let start_b = rope.char_to_byte(line_start);
            let end_b = rope.char_to_byte(line_end);
            if start_b + col >= end_b {
                return line_end;
            }
            // byte_to_char gives the char holding the byte: a column inside a char snaps to its start.
            rope.byte_to_char(start_b + col).clamp(line_start, line_end)
        }
    }
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

pub const SOURCE: &str = "reportlint";

pub fn diagnostic(d: &Diagnostic, pos: &Positions, uri: &lsp::Url) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .map(|r| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), pos.range(r.range)),
            message: r.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: pos.range(d.range),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: lsp::Url::parse(&crate::rules::docs::url(d.code))
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// A quick fix for one finding.
pub fn fix_action(d: &Diagnostic, fix: &Fix, pos: &Positions, uri: &lsp::Url) -> lsp::CodeAction {
    let edits = fix.edits.iter().map(|e| pos.text_edit(e)).collect();
    lsp::CodeAction {
        title: fix.title.clone(),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(d, pos, uri)]),
        edit: Some(workspace_edit(uri, edits)),
        is_preferred: Some(fix.applicability == Applicability::Safe),
        ..Default::default()
    }
}

pub fn workspace_edit(uri: &lsp::Url, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit {
        changes: Some([(uri.clone(), edits)].into_iter().collect()),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rope_positions_match_the_line_index() {
        let text = "报😀𠀀x\r\n第二行\rz\n";
        let rope = Rope::from_str(text);
        let index = LineIndex::new(text);
        for enc in [Encoding::Utf16, Encoding::Utf8] {
            let pos = Positions {
                text,
                index: &index,
                encoding: enc,
            };
            for (offset, _) in text
                .char_indices()
                .chain(std::iter::once((text.len(), ' ')))
            {
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue;
                }
                let p = pos.position(offset);
                let c = rope_char(&rope, p, enc);
                assert_eq!(rope.char_to_byte(c), offset, "{enc:?} {p:?}");
            }
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\r\n😀");
        assert_eq!(
            rope_char(&rope, lsp::Position::new(0, 9), Encoding::Utf16),
            2
        );
        assert_eq!(
            rope_char(&rope, lsp::Position::new(7, 0), Encoding::Utf16),
            5
        );
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(
            rope_char(&rope, lsp::Position::new(1, 1), Encoding::Utf16),
            4
        );
        assert_eq!(
            rope_char(&rope, lsp::Position::new(1, 2), Encoding::Utf8),
            4
        );
    }
}
