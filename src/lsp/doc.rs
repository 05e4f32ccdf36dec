//! Open documents: a rope that takes incremental edits, the parsed blocks of the last analysis,
//! and the edits made since, so the next analysis re-parses only what changed.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp::lsp_types as lsp;

use crate::document::incremental::{reparse, Edit, Reuse};
use crate::document::lines::{split_blocks, Block};
use crate::document::{Document, Flavour};
use crate::line_index::LineIndex;
use crate::{Analysis, Incremental, Options};

use super::convert::{self, rope_char, Encoding, Positions};

/// The result of analysing one version of a document.
pub struct Snapshot {
    pub version: i32,
    pub text: String,
    pub index: Arc<LineIndex>,
    pub analysis: Analysis,
    pub diagnostics: Vec<lsp::Diagnostic>,
    pub reuse: Reuse,
    /// How many reports the analysis took unchanged from the one before.
    pub reports_reused: usize,
    pub encoding: Encoding,
    /// Open documents used as last year's report: a change to them checks this one again.
    pub previous: Vec<lsp::Url>,
    /// This version as another document's last year's report, made when first needed.
    as_previous: std::sync::OnceLock<Arc<crate::Previous>>,
}

impl Snapshot {
    /// This version as last year's report of another document.
    pub fn as_previous(&self, name: &str) -> Arc<crate::Previous> {
        self.as_previous
            .get_or_init(|| {
                Arc::new(crate::Previous::from_document(
                    name.to_string(),
                    self.text.clone(),
                    self.analysis.document.clone(),
                    false,
                ))
            })
            .clone()
    }

    pub fn positions(&self) -> Positions<'_> {
        Positions {
            text: &self.text,
            index: &self.index,
            encoding: self.encoding,
        }
    }
}

pub struct Doc {
    pub rope: Rope,
    pub version: i32,
    pub flavour: Flavour,
    /// The parse of the text the last analysis started from.
    parsed: Parsed,
    /// Edits since then, as one.
    pending: Option<Edit>,
    /// The blocks cannot be updated: parse everything next time.
    full: bool,
    /// An analysis has taken the blocks and runs in the background.
    pub in_flight: bool,
    /// Changed since the last analysis started.
    pub dirty: bool,
    pub snapshot: Option<Arc<Snapshot>>,
    /// The file's canonical path, when it is a file on disk.
    pub canonical: Option<std::path::PathBuf>,
    /// Which opening of the document this is: an analysis of the text of an earlier opening
    /// (closed and opened again meanwhile) is not stored in this one.
    pub opening: u64,
    /// A request analysed the current version: its diagnostics are still to be published.
    pub unpublished: bool,
}

/// Numbers the openings of documents.
static OPENINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Finds last year's reports for a parsed document, and the open documents they are.
pub type FindPrevious<'a> = dyn Fn(&Document) -> (Vec<Arc<crate::Previous>>, Vec<lsp::Url>) + 'a;

/// The parse of one version of a text, for updating after edits: its blocks, its line index,
/// and its reports with their findings.
#[derive(Default)]
pub struct Parsed {
    blocks: Vec<Block>,
    index: Option<Arc<LineIndex>>,
    reports: Incremental,
}

/// What an analysis needs, taken from a document so it can run without the lock.
pub struct Job {
    rope: Rope,
    pub version: i32,
    parsed: Parsed,
    pending: Option<Edit>,
    full: bool,
    flavour: Flavour,
    /// The opening of the document the job was taken from.
    pub opening: u64,
}

impl Doc {
    pub fn open(text: &str, version: i32, flavour: Flavour) -> Doc {
        Doc {
            rope: Rope::from_str(text),
            version,
            flavour,
            parsed: Parsed::default(),
            pending: None,
            full: true,
            in_flight: false,
            dirty: true,
            snapshot: None,
            canonical: None,
            opening: OPENINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            unpublished: false,
        }
    }

    /// Applies one change from `textDocument/didChange`; positions out of range are clamped.
    pub fn apply(&mut self, change: &lsp::TextDocumentContentChangeEvent, encoding: Encoding) {
        self.dirty = true;
        let Some(range) = change.range else {
            self.rope = Rope::from_str(&change.text);
            self.full = true;
            self.pending = None;
            return;
        };
        let mut start = rope_char(&self.rope, range.start, encoding);
        let mut end = rope_char(&self.rope, range.end, encoding);
        if start > end {
            std::mem::swap(&mut start, &mut end);
        }
        let start_byte = self.rope.char_to_byte(start);
        let end_byte = self.rope.char_to_byte(end);
        self.rope.remove(start..end);
        self.rope.insert(start, &change.text);
        let edit = Edit::new(start_byte, end_byte, change.text.len());
        self.pending = Some(match self.pending {
            Some(p) => p.then(edit),
            None => edit,
        });
    }

    /// Marks the document for a fresh analysis (after a configuration change).
    pub fn invalidate(&mut self) {
        self.dirty = true;
    }

    pub fn take_job(&mut self) -> Job {
        self.in_flight = true;
        self.dirty = false;
        Job {
            rope: self.rope.clone(),
            version: self.version,
            parsed: std::mem::take(&mut self.parsed),
            pending: self.pending.take(),
            full: std::mem::take(&mut self.full),
            flavour: self.flavour,
            opening: self.opening,
        }
    }

    /// Stores a finished analysis of this opening's text; edits made meanwhile stay pending
    /// against its parse. False, and nothing changed, for an earlier opening's.
    pub fn finish(&mut self, opening: u64, parsed: Parsed, snapshot: Arc<Snapshot>) -> bool {
        if opening != self.opening {
            return false;
        }
        self.in_flight = false;
        if !self.full {
            self.parsed = parsed;
        }
        if self
            .snapshot
            .as_ref()
            .is_none_or(|s| s.version <= snapshot.version)
        {
            self.snapshot = Some(snapshot);
        }
        true
    }

    /// An analysis of this opening's text failed (it panicked): start over from the whole text
    /// next time.
    pub fn abandon(&mut self, opening: u64) {
        if opening != self.opening {
            return;
        }
        self.in_flight = false;
        self.full = true;
        self.pending = None;
        self.parsed = Parsed::default();
    }

    /// The snapshot of the current version, if the last analysis is of it.
    pub fn current(&self) -> Option<Arc<Snapshot>> {
        self.snapshot
            .as_ref()
            .filter(|s| s.version == self.version && !self.dirty && !self.in_flight)
            .cloned()
    }
}

impl Job {
    /// Parses (reusing unchanged blocks) and checks, with last year's reports that `previous`
    /// finds for the parsed document.
    pub fn run(
        self,
        opts: &Options,
        encoding: Encoding,
        uri: &lsp::Url,
        previous: &FindPrevious,
    ) -> (Parsed, Snapshot) {
        let text = rope_text(&self.rope);
        // Tests prove that a panic in analysis does not take the server down.
        #[cfg(test)]
        if text.contains(super::tests::PANIC_MARK) {
            panic!("injected panic");
        }
        let Parsed {
            blocks: old_blocks,
            index: old_index,
            reports: mut incremental,
        } = self.parsed;
        let (blocks, reuse) = match (self.full, self.pending) {
            (true, _) => {
                let blocks = split_blocks(&text);
                let parsed = blocks.len();
                (blocks, Reuse { reused: 0, parsed })
            }
            (false, Some(edit)) => reparse(&old_blocks, &text, edit),
            (false, None) => {
                let reused = old_blocks.len();
                (old_blocks, Reuse { reused, parsed: 0 })
            }
        };
        let index = match (self.full, self.pending, old_index) {
            (false, Some(e), Some(old)) => {
                Arc::new(old.edited(&text, e.start, e.old_end, e.new_end))
            }
            (false, None, Some(old)) => old,
            _ => Arc::new(LineIndex::new(&text)),
        };
        let mut opts = Options {
            flavour: self.flavour,
            ..opts.clone()
        };
        let document = incremental.build(&text, &blocks, &opts);
        let reports_reused = incremental.reused_reports();
        let (found, used) = previous(&document);
        opts.previous.extend(found);
        let diagnostics = incremental.check(&text, &document, &opts);
        let analysis = Analysis {
            document,
            diagnostics,
        };
        let diagnostics = {
            let pos = Positions {
                text: &text,
                index: &index,
                encoding,
            };
            analysis
                .diagnostics
                .iter()
                .map(|d| convert::diagnostic(d, &pos, uri))
                .collect()
        };
        let snapshot = Snapshot {
            version: self.version,
            text,
            index,
            analysis,
            diagnostics,
            reuse,
            reports_reused,
            encoding,
            previous: used,
            as_previous: std::sync::OnceLock::new(),
        };
        let parsed = Parsed {
            blocks,
            index: Some(snapshot.index.clone()),
            reports: incremental,
        };
        (parsed, snapshot)
    }
}

/// The rope's text in one allocation of the right size (`to_string` goes through `Display` and
/// grows the string by doubling: twice the copying, a third of a 3 MB keystroke).
pub(crate) fn rope_text(rope: &ropey::Rope) -> String {
    let mut text = String::with_capacity(rope.len_bytes());
    for chunk in rope.chunks() {
        text.push_str(chunk);
    }
    text
}
