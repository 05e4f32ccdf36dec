//! Open documents: a rope that takes incremental edits, the parsed blocks of the last analysis,
//! and the edits made since, so the next analysis re-parses only what changed.

use std::sync::Arc;

use ropey::Rope;
use tower_lsp::lsp_types as lsp;

use crate::document::incremental::{reparse_owned, Edit, Reuse};
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
    /// The text was made by editing an older version's in place, not by copying the rope.
    pub text_edited: bool,
    /// Which parse the text is of (see [`Parsed::text_id`]).
    text_id: u64,
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

/// Numbers the texts analyses are made of (0 is none).
static TEXTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Finds last year's reports for a parsed document, and the open documents they are.
pub type FindPrevious<'a> = dyn Fn(&Document) -> (Vec<Arc<crate::Previous>>, Vec<lsp::Url>) + 'a;

/// The parse of one version of a text, for updating after edits: its blocks, its line index,
/// and its reports with their findings.
#[derive(Default)]
pub struct Parsed {
    blocks: Vec<Block>,
    index: Option<Arc<LineIndex>>,
    reports: Incremental,
    /// Which text this is the parse of, unique among all parses (0: none); its snapshot
    /// carries the same number.
    text_id: u64,
    /// The text this one was made from by an edit: its number, and the edit (none when the
    /// text did not change).
    came_from: Option<(u64, Option<Edit>)>,
    /// An older large text, to be edited in place into the next one.
    spare: Option<Spare>,
}

/// Texts at least this long are edited in place from an older version instead of copied out
/// of the rope each analysis (a 3 MB copy is a large part of a keystroke); smaller ones are
/// copied, which costs microseconds and keeps no second text per open document.
#[cfg(not(test))]
const SPARE_MIN: usize = 256 * 1024;
/// Small enough for unit tests to cross quickly.
#[cfg(test)]
const SPARE_MIN: usize = 4 * 1024;

/// Room left at the end of an in-place text, so that typing does not reallocate it each time.
const SPARE_ROOM: usize = 16 * 1024;

/// The text of the analysis before the last, no longer used by a snapshot, and the edit that
/// turns it into the last one's text.
struct Spare {
    text: String,
    edit: Option<Edit>,
}

impl Spare {
    /// The text an old snapshot leaves, if nothing else holds the snapshot, its text is the
    /// one `came_from` names, and it is large enough to be worth keeping.
    fn reclaim(old: Arc<Snapshot>, came_from: Option<(u64, Option<Edit>)>) -> Option<Spare> {
        let (from, edit) = came_from?;
        let old = Arc::try_unwrap(old).ok()?;
        (old.text_id == from && old.text.len() >= SPARE_MIN).then_some(Spare {
            text: old.text,
            edit,
        })
    }

    /// The rope's text, made by replacing in this text what the edits since changed.
    /// `None` when the edits do not fit this text (the caller copies the rope instead).
    fn edited(self, rope: &Rope, pending: Option<Edit>) -> Option<String> {
        let mut text = self.text;
        let edit = match (self.edit, pending) {
            (Some(a), Some(b)) => a.then(b),
            (a, b) => match a.or(b) {
                Some(e) => e,
                None => return (text.len() == rope.len_bytes()).then_some(text),
            },
        };
        let fits = edit.start <= edit.old_end
            && edit.old_end <= text.len()
            && text.is_char_boundary(edit.start)
            && text.is_char_boundary(edit.old_end)
            && text.len() - (edit.old_end - edit.start) + (edit.new_end - edit.start)
                == rope.len_bytes();
        if !fits {
            return None;
        }
        let replacement: std::borrow::Cow<str> =
            rope.get_byte_slice(edit.start..edit.new_end)?.into();
        let new_len = rope.len_bytes();
        if new_len > text.capacity() {
            text.reserve_exact(new_len - text.len() + SPARE_ROOM);
        }
        text.replace_range(edit.start..edit.old_end, &replacement);
        Some(text)
    }
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
            let old = self.snapshot.replace(snapshot);
            if !self.full {
                self.parsed.spare = old.and_then(|o| Spare::reclaim(o, self.parsed.came_from));
            }
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
        let Parsed {
            blocks: old_blocks,
            index: old_index,
            reports: mut incremental,
            text_id: from,
            came_from: _,
            spare,
        } = self.parsed;
        let edited = match spare.filter(|_| !self.full) {
            Some(spare) => spare.edited(&self.rope, self.pending),
            None => None,
        };
        let text_edited = edited.is_some();
        let text = edited.unwrap_or_else(|| rope_text(&self.rope));
        let text_id = TEXTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let came_from = (!self.full && from != 0).then_some((from, self.pending));
        // Tests prove that a panic in analysis does not take the server down.
        #[cfg(test)]
        if text.contains(super::tests::PANIC_MARK) {
            panic!("injected panic");
        }
        let (blocks, reuse) = match (self.full, self.pending) {
            (true, _) => {
                let blocks = split_blocks(&text);
                let parsed = blocks.len();
                (blocks, Reuse { reused: 0, parsed })
            }
            (false, Some(edit)) => reparse_owned(old_blocks, &text, edit),
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
            text_edited,
            text_id,
            reports_reused,
            encoding,
            previous: used,
            as_previous: std::sync::OnceLock::new(),
        };
        let parsed = Parsed {
            blocks,
            index: Some(snapshot.index.clone()),
            reports: incremental,
            text_id,
            came_from,
            spare: None,
        };
        (parsed, snapshot)
    }
}

/// The rope's text in one allocation of the right size (`to_string` goes through `Display` and
/// grows the string by doubling: twice the copying, a third of a 3 MB keystroke).
pub(crate) fn rope_text(rope: &ropey::Rope) -> String {
    let len = rope.len_bytes();
    // A large text is later edited in place (see `Spare`): leave it room to grow.
    let room = if len >= SPARE_MIN { SPARE_ROOM } else { 0 };
    let mut text = String::with_capacity(len + room);
    for chunk in rope.chunks() {
        text.push_str(chunk);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(doc: &mut Doc) -> Arc<Snapshot> {
        let job = doc.take_job();
        let opening = job.opening;
        let uri = lsp::Url::parse("file:///big.md").expect("a URL");
        let (parsed, snap) = job.run(&Options::default(), Encoding::Utf16, &uri, &|_| {
            (Vec::new(), Vec::new())
        });
        let snap = Arc::new(snap);
        assert!(doc.finish(opening, parsed, snap.clone()));
        snap
    }

    /// A change replacing `len` characters from character `at` (as a client sends it).
    fn change(
        rope: &Rope,
        at: usize,
        len: usize,
        text: &str,
    ) -> lsp::TextDocumentContentChangeEvent {
        let position = |c: usize| {
            let line = rope.char_to_line(c);
            let col = rope.char_to_utf16_cu(c) - rope.char_to_utf16_cu(rope.line_to_char(line));
            lsp::Position::new(line as u32, col as u32)
        };
        let end = (at + len).min(rope.len_chars());
        lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(position(at), position(end))),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn large_texts_are_edited_in_place_into_the_ropes_text() {
        let para = "一、总体情况\r\n第一段文字，含😀表情。\r\nsecond line\r\n\r\n";
        let text = para.repeat(SPARE_MIN / para.len() + 1);
        let mut doc = Doc::open(&text, 1, Flavour::Markdown);
        assert!(!analyse(&mut doc).text_edited);
        let inserts = ["字", "😀", "a\r\n\r\nb", "", "。\n"];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut copied = vec![];
        let mut held = None;
        for round in 0..14 {
            match round {
                // A configuration change: analysed again with no edit.
                5 => doc.invalidate(),
                // The whole text replaced: nothing to edit in place the next time.
                9 => doc.apply(
                    &lsp::TextDocumentContentChangeEvent {
                        range: None,
                        range_length: None,
                        text: format!("{text}尾"),
                    },
                    Encoding::Utf16,
                ),
                _ => {
                    for _ in 0..=round % 3 {
                        let at = next(doc.rope.len_chars());
                        let c = change(&doc.rope, at, next(4), inserts[next(inserts.len())]);
                        doc.apply(&c, Encoding::Utf16);
                    }
                }
            }
            doc.version += 1;
            let snap = analyse(&mut doc);
            assert_eq!(snap.text, doc.rope.to_string(), "round {round}");
            if !snap.text_edited {
                copied.push(round);
            }
            // A snapshot still in use keeps its text: the analysis after next copies the rope.
            if round == 11 {
                held = Some(snap);
            }
        }
        drop(held);
        // Round 0 has no older text yet. The whole text replaced in round 9: no edit relates it
        // to the text before, nor (in round 10) to the text that round 9's snapshot replaced.
        assert_eq!(copied, [0, 9, 10, 13]);
    }

    #[test]
    fn small_texts_are_copied() {
        let mut doc = Doc::open("一、总体情况\n\n正文。\n", 1, Flavour::Markdown);
        for _ in 0..3 {
            let c = change(&doc.rope, 3, 1, "字");
            doc.apply(&c, Encoding::Utf16);
            doc.version += 1;
            let snap = analyse(&mut doc);
            assert!(!snap.text_edited);
            assert_eq!(snap.text, doc.rope.to_string());
        }
    }
}
