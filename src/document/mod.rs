//! The report model: what a draft says, read from any of the shapes drafts come in.
//!
//! Parsing never fails. Text becomes blocks of classified lines ([`lines`]), then reports with a
//! title, sections, sub-items, paragraphs and tables matched against a profile ([`build`]).
//! Whatever cannot be read is kept (as unknown cells, rows or headings) for rules to report.

pub mod agency;
pub mod amount;
pub mod build;
pub mod dump;
pub mod incremental;
pub mod lines;
pub mod normalize;
mod table;

use std::sync::Arc;

use crate::profile::{Profile, Quality};
use crate::text::TextRange;

pub use amount::{BlankKind, Decimal, Value};
pub use build::{build, BuildOptions};
pub use table::suggestions as table_suggestions;

/// Markdown or plain text: decides the shape of inserted tables, nothing in parsing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Flavour {
    Markdown,
    #[default]
    Plain,
}

impl Flavour {
    /// Markdown for `.md` and `.markdown` files, plain text otherwise.
    pub fn from_path(path: &str) -> Flavour {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Flavour::Markdown
        } else {
            Flavour::Plain
        }
    }
}

#[derive(Clone, Debug)]
pub struct Document {
    pub flavour: Flavour,
    /// Usually one; a compendium holds one per title.
    pub reports: Vec<ReportAt>,
    /// Whether some line holds an HTML comment mark (`<!--`, `-->`) or a code fence. Without
    /// one the text holds no suppression comment, and is not searched for one.
    pub has_comments: bool,
}

/// A report and where it is: its positions count from `offset`, so that a report whose text
/// did not change is reused as it is after an edit elsewhere moved it.
#[derive(Clone, Debug)]
pub struct ReportAt {
    /// Where the report's text starts in the document (its first block).
    pub offset: usize,
    pub report: Arc<Report>,
}

impl ReportAt {
    /// A range of the report, in the document.
    pub fn abs(&self, range: TextRange) -> TextRange {
        range.shift(self.offset)
    }

    /// The report's text: from `offset` to the end of its last line.
    pub fn text<'t>(&self, document_text: &'t str) -> &'t str {
        let end = (self.offset + self.report.range.end).min(document_text.len());
        &document_text[self.offset.min(end)..end]
    }
}

impl std::ops::Deref for ReportAt {
    type Target = Report;

    fn deref(&self) -> &Report {
        &self.report
    }
}

/// How a report's profile was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileChoice {
    /// Given by the user.
    Forced,
    /// From the report year.
    Year,
    /// No year was found; the tables look like this format.
    Tables,
}

/// A report of a document. Its positions are relative to where it is placed ([`ReportAt`]).
#[derive(Clone, Debug)]
pub struct Report {
    pub range: TextRange,
    pub profile: Arc<Profile>,
    pub profile_choice: ProfileChoice,
    pub title: Option<Title>,
    pub period: Option<Period>,
    /// The report year: from the title, else the statistics period, else a year-end date.
    pub year: Option<Year>,
    /// Recognised section headings in document order.
    pub sections: Vec<Section>,
    /// Numbered headings that match no section.
    pub unknown_headings: Vec<Heading>,
    pub tables: Vec<Table>,
    pub paragraphs: Vec<Paragraph>,
    pub subitems: Vec<SubItem>,
    /// The agency and date the report is signed with (落款), at its end or under its title.
    pub signature: Option<Signature>,
}

/// A report's signature (落款): the agency on one line, the date on the next.
#[derive(Clone, Debug)]
pub struct Signature {
    pub agency: Option<Agency>,
    pub date: SignDate,
}

/// A date written `2022年1月20日` or `二〇二二年一月二十日`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignDate {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub range: TextRange,
}

impl SignDate {
    /// Comparable as a number: `20220120`.
    pub fn ordinal(&self) -> u32 {
        self.year as u32 * 10_000 + self.month as u32 * 100 + self.day as u32
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Year {
    pub value: u16,
    pub range: TextRange,
    pub source: YearSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearSource {
    Title,
    Period,
    YearEnd,
}

impl Report {
    /// The first section matched to the profile's section `spec`.
    pub fn section(&self, spec: usize) -> Option<&Section> {
        self.sections.iter().find(|s| s.spec == spec)
    }

    /// The table matched to the profile's table `spec`.
    pub fn table(&self, spec: usize) -> Option<&Table> {
        self.tables.iter().find(|t| t.spec == spec)
    }

    /// The index of the section a position falls in.
    pub fn section_at(&self, offset: usize) -> Option<usize> {
        self.sections
            .iter()
            .rposition(|s| s.heading.start <= offset)
    }

    /// Where the report's body begins: after the title, or at the report's start.
    pub fn body_start(&self) -> usize {
        self.title
            .as_ref()
            .map_or(self.range.start, |t| t.range.end)
    }
}

#[derive(Clone, Debug)]
pub struct Title {
    /// From the first to the last line of the title.
    pub range: TextRange,
    /// The title's lines (a title is often split over two).
    pub lines: Vec<TextRange>,
    /// The normalised, joined text.
    pub text: String,
    pub agency: Option<Agency>,
    pub year: Option<(u16, TextRange)>,
    /// What follows the year (`政府信息公开工作年度报告`).
    pub rest: String,
    pub md_level: Option<u8>,
}

#[derive(Clone, Debug)]
pub struct Agency {
    pub name: String,
    pub range: TextRange,
}

/// The statistics-period sentence: `统计期限为2021年1月1日至12月31日`.
#[derive(Clone, Debug)]
pub struct Period {
    pub range: TextRange,
    pub start_year: u16,
    pub start_year_range: TextRange,
    pub end_year: Option<u16>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleMatch {
    Canonical,
    /// One of the profile's listed variants.
    Variant,
    /// Only the section's keywords.
    Keywords,
}

#[derive(Clone, Debug)]
pub struct Section {
    /// Index into the profile's sections.
    pub spec: usize,
    /// The whole heading line.
    pub heading: TextRange,
    /// The numeral (一 … 六) and its range, with the separator after it.
    pub number: Option<(u32, TextRange)>,
    /// The title after the numbering, normalised.
    pub title: String,
    pub title_range: TextRange,
    pub quality: TitleMatch,
    pub md_level: Option<u8>,
    /// The `#` marks of a Markdown heading.
    pub md_marks: Option<TextRange>,
    /// From the end of the heading to the next section (or the report's end).
    pub body: TextRange,
}

/// A numbered heading that matches no section.
#[derive(Clone, Debug)]
pub struct Heading {
    pub range: TextRange,
    pub number: Option<u32>,
    pub title: String,
    pub md_level: Option<u8>,
}

#[derive(Clone, Debug)]
pub struct Paragraph {
    pub range: TextRange,
    /// Index into the report's sections.
    pub section: Option<usize>,
}

/// A sub-item `（一）…` at the start of a line.
#[derive(Clone, Debug)]
pub struct SubItem {
    pub number: u32,
    /// The `（一）` itself.
    pub numbering: TextRange,
    pub line: TextRange,
    pub section: Option<usize>,
}

/// The layout a table was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `| a | b |` rows.
    Pipe,
    /// Tab-separated rows.
    Tabs,
    /// One cell per line, pasted from Word.
    Word,
    /// One `cell |` per line, copied from a web page.
    Web,
    /// Cells on their own lines, or rows of space-separated values.
    Lines,
    /// An HTML `<table>` inside Markdown.
    Html,
    Mixed,
}

#[derive(Clone, Debug)]
pub struct Cell {
    /// The cell's text (for a cell joined from vertical fragments, from the first to the last).
    pub range: TextRange,
    /// Everything between the delimiters; where a value is written into an empty cell.
    pub slot: TextRange,
    /// The text, when it is not the document's text at `range`: fragments joined, an HTML
    /// cell's text without its tags, or empty for a row label made of its values.
    own_text: Option<Box<str>>,
    pub value: Value,
}

impl Cell {
    /// The cell's raw text, fragments joined; `source` is the document's text.
    pub fn text<'a>(&'a self, source: &'a str) -> &'a str {
        match &self.own_text {
            Some(t) => t,
            None => &source[self.range.as_range()],
        }
    }
}

/// How a label was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LabelMatch {
    Exact,
    /// A variant the profile accepts.
    Variant,
    /// Only by similarity: worth a warning naming the canonical label.
    Fuzzy,
}

impl From<Quality> for LabelMatch {
    fn from(q: Quality) -> LabelMatch {
        match q {
            Quality::Exact => LabelMatch::Exact,
            Quality::Variant => LabelMatch::Variant,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Row {
    /// Index into the table spec's rows.
    pub spec: usize,
    /// The label cell; for an unlabelled row, the span of its values.
    pub label: Cell,
    pub label_match: LabelMatch,
    /// Exactly as many as the row's columns; missing ones are [`Value::Missing`].
    pub cells: Vec<Cell>,
    /// How many value cells the row had before they were aligned to the columns.
    pub found: usize,
    /// The value cells as written, before alignment; kept only for the row of a single-row
    /// table, whose pieces may be joined (empty otherwise).
    pub raw: Vec<Cell>,
    pub range: TextRange,
}

/// A label recognised in a table that is not a row: a group, block caption, column header or note.
#[derive(Clone, Debug)]
pub struct LabelCell {
    pub cell: Cell,
    pub label: crate::profile::LabelRef,
    pub label_match: LabelMatch,
}

/// Values that follow a group label directly (a group written as a data row).
#[derive(Clone, Debug)]
pub struct GroupValues {
    pub group: usize,
    pub label: Cell,
    pub values: Vec<Cell>,
}

/// A row whose label matches nothing in the table.
#[derive(Clone, Debug)]
pub struct UnknownRow {
    pub label: Cell,
    pub values: Vec<Cell>,
}

#[derive(Clone, Debug)]
pub struct Table {
    /// Index into the profile's tables.
    pub spec: usize,
    pub range: TextRange,
    pub section: Option<usize>,
    pub shape: Shape,
    pub rows: Vec<Row>,
    /// Recognised labels other than rows.
    pub labels: Vec<LabelCell>,
    pub group_values: Vec<GroupValues>,
    /// Text cells in the header that match no label.
    pub unknown_headers: Vec<Cell>,
    pub unknown_rows: Vec<UnknownRow>,
    /// Numbers that belong to no row.
    pub orphans: Vec<Cell>,
    /// Cells that are labels of another edition of the format (another built-in profile).
    pub foreign: Vec<Cell>,
    /// How many separate runs of lines the table was read from (a heading or page break may split one).
    pub pieces: usize,
    /// For each spec row, the index of its first occurrence in `rows`.
    pub(crate) row_pos: Vec<Option<usize>>,
}

impl Table {
    /// The table holds labels of another edition of the format: its rows and cells cannot be
    /// judged against this one (T008 says so once instead).
    pub fn mixes_editions(&self) -> bool {
        !self.foreign.is_empty()
    }

    /// The first occurrence of the spec row.
    pub fn row(&self, spec_row: usize) -> Option<&Row> {
        self.row_pos
            .get(spec_row)
            .copied()
            .flatten()
            .map(|i| &self.rows[i])
    }

    pub fn cell(&self, spec_row: usize, column: usize) -> Option<&Cell> {
        self.row(spec_row).and_then(|r| r.cells.get(column))
    }
}
