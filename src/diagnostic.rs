//! Findings and their fixes, as plain data.

use crate::text::{TextEdit, TextRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "hint" | "info" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// Whether a fix may be applied without a person looking at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Keeps the meaning the author intended; `--fix` and "fix all" apply it.
    Safe,
    /// May be wrong (the item rather than the total may be the typo, or it inserts placeholders).
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    /// Sorted, non-overlapping edits.
    pub edits: Vec<TextEdit>,
    pub applicability: Applicability,
}

impl Fix {
    pub fn new(title: String, mut edits: Vec<TextEdit>, applicability: Applicability) -> Fix {
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        Fix {
            title,
            edits,
            applicability,
        }
    }

    pub fn safe(title: String, edits: Vec<TextEdit>) -> Fix {
        Fix::new(title, edits, Applicability::Safe)
    }

    pub fn unsafe_(title: String, edits: Vec<TextEdit>) -> Fix {
        Fix::new(title, edits, Applicability::Unsafe)
    }
}

/// Another place that explains a finding (the cells a total sums, for example).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub range: TextRange,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub fix: Option<Fix>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        range: TextRange,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            range,
            message,
            fix: None,
            related: Vec::new(),
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    pub fn with_fix_opt(mut self, fix: Option<Fix>) -> Diagnostic {
        self.fix = fix;
        self
    }

    /// The finding moved `by` bytes later (from a report's positions to the document's).
    pub fn shift(mut self, by: usize) -> Diagnostic {
        if by == 0 {
            return self;
        }
        self.range = self.range.shift(by);
        for r in &mut self.related {
            r.range = r.range.shift(by);
        }
        if let Some(fix) = &mut self.fix {
            for e in &mut fix.edits {
                e.range = e.range.shift(by);
            }
        }
        self
    }

    pub fn with_related(mut self, range: TextRange, message: String) -> Diagnostic {
        self.related.push(Related { range, message });
        self
    }
}
