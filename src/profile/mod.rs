//! Report formats as data: sections, tables, sum relations and prose claims.
//!
//! The built-in formats (`f2021.json`, `f2019.json`) are embedded in the binary; a user's own
//! JSON file follows the same schema (documented in `docs/profiles.md`). Loading checks every
//! reference, so rules can index without failing.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::hash::FastMap;
use crate::pattern::Pattern;

use crate::document::normalize::{core, normalize};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A short id such as `f2021`.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    /// The report years this format applies to.
    #[serde(default)]
    pub years: YearRange,
    pub title: TitleSpec,
    /// The introduction of a new report, with `{year}` and `{agency}` placeholders.
    #[serde(default)]
    pub intro: Option<String>,
    pub sections: Vec<SectionSpec>,
    #[serde(default)]
    pub tables: Vec<TableSpec>,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default)]
    pub metrics: BTreeMap<String, MetricSpec>,
    /// Metric expressions a percentage in prose may be taken of when the prose names no whole.
    #[serde(default)]
    pub percent_bases: Vec<String>,
    #[serde(default)]
    pub claims: Vec<Claim>,
    /// Relations between a report and the same body's report of the year before.
    #[serde(default)]
    pub year_relations: Vec<YearRelation>,
    #[serde(skip)]
    pub(crate) percent_bases_resolved: Vec<Expr>,
    #[serde(skip)]
    pub(crate) claim_gates: ClaimGates,
    /// Every table's labels in one map: a text is looked up once for all tables.
    #[serde(skip)]
    label_tables: FastMap<String, LabelTables>,
}

/// The tables that have a (normalised) text as a label, one bit a table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct LabelTables {
    /// As a label of any kind.
    pub any: u64,
    /// As a row, group, caption or note: more than a column header.
    pub strong: u64,
    /// As a row or a group.
    pub row_or_group: u64,
}

/// `this.lhs = previous.previous + this.plus − this.minus`, for each row or column in `each`,
/// between a report and last year's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRelation {
    pub id: String,
    /// The rule that reports a broken relation (`L006` …).
    pub rule: String,
    pub table: String,
    #[serde(default)]
    pub for_each: ForEach,
    pub each: Vec<String>,
    pub lhs: Vec<String>,
    pub previous: Vec<String>,
    #[serde(default)]
    pub plus: Vec<String>,
    #[serde(default)]
    pub minus: Vec<String>,
    /// Whether it holds when last year's report followed another edition of the format.
    #[serde(default)]
    pub across_editions: bool,
    #[serde(default)]
    pub lhs_name: Option<String>,
    #[serde(default)]
    pub lhs_name_en: Option<String>,
    #[serde(default)]
    pub previous_name: Option<String>,
    #[serde(default)]
    pub previous_name_en: Option<String>,
}

#[derive(Debug, Default, Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    #[serde(default)]
    pub from: Option<u16>,
    #[serde(default)]
    pub to: Option<u16>,
}

impl YearRange {
    pub fn contains(self, year: u16) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleSpec {
    /// What every title ends with, after the year: `政府信息公开工作年度报告`.
    pub suffix: String,
    /// The title of a new report, with `{agency}` and `{year}`.
    pub template: String,
    /// Names that do not identify an agency on their own (`政府办`, `我局`).
    #[serde(default)]
    pub generic_agencies: Vec<String>,
    /// `suffix`, normalised (made when the profile is loaded).
    #[serde(skip)]
    pub(crate) suffix_normalized: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    pub id: String,
    /// The canonical title without its number, e.g. `总体情况`.
    pub title: String,
    #[serde(default)]
    pub title_en: Option<String>,
    /// Other titles seen in real reports; accepted, with a warning naming the canonical one.
    #[serde(default)]
    pub variants: Vec<String>,
    /// A title matches the section when it holds every word of one of these lists.
    #[serde(default)]
    pub keywords: Vec<Vec<String>>,
    /// The table this section must hold.
    #[serde(default)]
    pub table: Option<String>,
    /// Topics the section body must mention.
    #[serde(default)]
    pub must_mention: Vec<Mention>,
    /// Body lines of a new section.
    #[serde(default)]
    pub skeleton: Vec<String>,
    /// Its text must be written anew each year (the format forbids 内容雷同).
    #[serde(default)]
    pub original: bool,
    #[serde(skip)]
    pub(crate) norm_title: String,
    #[serde(skip)]
    pub(crate) norm_variants: Vec<String>,
}

impl SectionSpec {
    pub fn display_title(&self, lang: crate::lang::Lang) -> &str {
        match (lang, &self.title_en) {
            (crate::lang::Lang::En, Some(en)) => en,
            _ => &self.title,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    pub name: String,
    pub any: Vec<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Rows grouped under block captions, each block with its own columns (the section-二 table).
    Blocks,
    /// Labelled rows over one set of columns (the section-三 table).
    Grid,
    /// One unlabelled row of values under a header (the section-四 table).
    SingleRow,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    pub layout: Layout,
    /// Header texts that are neither columns nor rows (`信息内容`, `申请人情况`).
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub note_variants: Vec<String>,
    #[serde(default)]
    pub columns: Vec<ColumnSpec>,
    #[serde(default)]
    pub blocks: Vec<BlockSpec>,
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    pub rows: Vec<RowSpec>,
    #[serde(default)]
    pub skeleton: Option<SkeletonSpec>,
    #[serde(skip)]
    pub(crate) vocab: FastMap<String, Vec<(LabelRef, Quality)>>,
    #[serde(skip)]
    pub(crate) cores: FastMap<String, Vec<LabelRef>>,
    #[serde(skip)]
    pub(crate) row_index: FastMap<String, usize>,
    #[serde(skip)]
    pub(crate) row_block: Vec<Option<usize>>,
    /// Every label, normalised, for prefix matching of labels broken over lines.
    #[serde(skip)]
    pub(crate) norm_labels: Vec<String>,
    /// Some label holds a full stop `。` (none of the built-in ones does).
    #[serde(skip)]
    pub(crate) has_sentence_label: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub id: String,
    /// The header text.
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    /// A name for messages when the header text alone is ambiguous.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub kind: ValueKind,
}

impl ColumnSpec {
    pub fn display_name(&self, lang: crate::lang::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::lang::Lang::En, Some(en)) => en,
            _ => self.name.as_deref().unwrap_or(&self.label),
        }
    }
}

/// What a column's cells may hold.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A whole number, zero or more.
    #[default]
    Count,
    /// A decimal amount, zero or more.
    Amount,
    /// A whole number that may be negative (a change).
    Signed,
    /// An amount that may carry its unit (`44.48万元`).
    Money,
}

impl ValueKind {
    /// Whether `d` may be written in a column of this kind.
    pub fn admits(self, d: crate::document::Decimal) -> bool {
        match self {
            ValueKind::Count => !d.is_negative() && d.is_integer(),
            ValueKind::Signed => d.is_integer(),
            ValueKind::Amount | ValueKind::Money => !d.is_negative(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockSpec {
    pub id: String,
    pub caption: String,
    #[serde(default)]
    pub caption_variants: Vec<String>,
    pub columns: Vec<ColumnSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default)]
    pub name_en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    pub id: String,
    /// The row label; empty for the one row of a `single_row` table.
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    /// Enclosing group ids, outermost first.
    #[serde(default)]
    pub groups: Vec<String>,
    /// The block a row of a `blocks` table belongs to.
    #[serde(default)]
    pub block: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkeletonSpec {
    /// How many leading columns hold labels (groups, then the row label).
    pub label_columns: usize,
    /// Header rows, each as wide as the label columns plus the value columns.
    pub header_rows: Vec<Vec<String>>,
}

/// What a normalised text in a table stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelRef {
    Row(usize),
    Group(usize),
    Caption(usize),
    Column,
    Note,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Quality {
    Exact,
    /// A variant the profile lists as accepted.
    Variant,
}

impl TableSpec {
    /// The columns of a row: its block's in a `blocks` table, the table's otherwise.
    pub fn columns_of(&self, row: usize) -> &[ColumnSpec] {
        match self.row_block.get(row).copied().flatten() {
            Some(b) => &self.blocks[b].columns,
            None => &self.columns,
        }
    }

    pub fn row(&self, id: &str) -> Option<usize> {
        self.row_index.get(id).copied()
    }

    pub fn column_index(&self, row: usize, id: &str) -> Option<usize> {
        self.columns_of(row).iter().position(|c| c.id == id)
    }

    /// Looks a normalised text up among the table's labels.
    pub fn lookup(&self, normalized: &str) -> &[(LabelRef, Quality)] {
        self.vocab.get(normalized).map_or(&[], Vec::as_slice)
    }

    /// Labels whose core (the label without numbering and remarks) is `core`.
    pub fn lookup_core(&self, core: &str) -> &[LabelRef] {
        self.cores.get(core).map_or(&[], Vec::as_slice)
    }

    /// Whether some label of the table starts with `norm` (and is longer).
    pub fn has_label_starting_with(&self, norm: &str) -> bool {
        !norm.is_empty()
            && self
                .norm_labels
                .iter()
                .any(|l| l.len() > norm.len() && l.starts_with(norm))
    }

    /// The one row label that starts with `norm`, when only one does.
    pub fn row_with_prefix(&self, norm: &str) -> Option<usize> {
        if norm.chars().count() < 4 {
            return None;
        }
        let mut found = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.label.is_empty() && normalize(&r.label).starts_with(norm))
            .map(|(i, _)| i);
        match (found.next(), found.next()) {
            (Some(i), None) => Some(i),
            _ => None,
        }
    }

    /// Every label text of the table, for suggestions.
    pub fn label_texts(&self) -> impl Iterator<Item = (&str, LabelRef)> {
        let rows = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.label.is_empty())
            .map(|(i, r)| (r.label.as_str(), LabelRef::Row(i)));
        let groups = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.label.as_str(), LabelRef::Group(i)));
        let captions = self
            .blocks
            .iter()
            .enumerate()
            .map(|(i, b)| (b.caption.as_str(), LabelRef::Caption(i)));
        let columns = self
            .columns
            .iter()
            .chain(self.blocks.iter().flat_map(|b| b.columns.iter()))
            .map(|c| (c.label.as_str(), LabelRef::Column));
        let notes = self.notes.iter().map(|n| (n.as_str(), LabelRef::Note));
        rows.chain(groups)
            .chain(captions)
            .chain(columns)
            .chain(notes)
    }

    pub fn display_name(&self, lang: crate::lang::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::lang::Lang::En, Some(en)) => en,
            _ => &self.name,
        }
    }

    /// The canonical text of a label that `norm` was matched to loosely.
    pub fn canonical_text(&self, r: LabelRef, norm: &str) -> Option<&str> {
        match r {
            LabelRef::Row(i) => self.rows.get(i).map(|x| x.label.as_str()),
            LabelRef::Group(i) => self.groups.get(i).map(|x| x.label.as_str()),
            LabelRef::Caption(i) => self.blocks.get(i).map(|x| x.caption.as_str()),
            LabelRef::Column | LabelRef::Note => {
                let c = core(norm);
                let mut best: Option<(f64, &str)> = None;
                for (text, kind) in self.label_texts() {
                    if kind != r {
                        continue;
                    }
                    let n = normalize(text);
                    let score = if core(&n) == c {
                        2.0
                    } else {
                        crate::document::normalize::similarity(&n, norm)
                    };
                    if best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, text));
                    }
                }
                best.map(|(_, t)| t)
            }
        }
    }

    pub fn width(&self) -> usize {
        match self.layout {
            Layout::Blocks => self
                .blocks
                .iter()
                .map(|b| b.columns.len())
                .max()
                .unwrap_or(0),
            _ => self.columns.len(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ForEach {
    /// For every row in `each`: the columns of `lhs` against the columns of `rhs`.
    #[default]
    Row,
    /// For every column in `each`: the rows of `lhs` against the rows of `rhs`.
    Column,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The sums are equal.
    #[default]
    Eq,
    /// The left sum is at least the right sum.
    Ge,
}

/// A sum relation: for each row (or column) in `each`, Σ lhs `op` Σ rhs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    pub id: String,
    /// The rule that reports a broken relation (`L001` …).
    pub rule: String,
    pub table: String,
    #[serde(default)]
    pub for_each: ForEach,
    pub each: Vec<String>,
    #[serde(default)]
    pub op: Op,
    pub lhs: Vec<String>,
    pub rhs: Vec<String>,
    #[serde(default)]
    pub lhs_name: Option<String>,
    #[serde(default)]
    pub lhs_name_en: Option<String>,
    #[serde(default)]
    pub rhs_name: Option<String>,
    #[serde(default)]
    pub rhs_name_en: Option<String>,
    #[serde(skip)]
    pub(crate) resolved: Option<ResolvedRelation>,
}

/// A relation with ids turned into indexes; columns stay ids because in a `blocks` table they
/// differ from row to row.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedRelation {
    pub table: usize,
    /// Rows (for_each row) or column ids (for_each column).
    pub each_rows: Vec<usize>,
    /// For each of `each_rows`, the columns of lhs and of rhs in that row.
    pub each_row_columns: Vec<(Vec<usize>, Vec<usize>)>,
    pub each_columns: Vec<String>,
    /// Rows of lhs/rhs (for_each column) — or empty.
    pub lhs_rows: Vec<usize>,
    pub rhs_rows: Vec<usize>,
}

impl Relation {
    pub(crate) fn resolved(&self) -> &ResolvedRelation {
        self.resolved
            .as_ref()
            .expect("profile relations are resolved when loaded")
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    /// Cells summed: `table/row/column`, where row may be `R05..R12` or `*`.
    pub cells: Vec<String>,
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(skip)]
    pub(crate) resolved: Vec<CellRef>,
}

impl MetricSpec {
    pub fn display_name(&self, lang: crate::lang::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::lang::Lang::En, Some(en)) => en,
            _ => &self.name,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CellRef {
    pub table: usize,
    pub row: usize,
    pub column: String,
}

/// A sum of metrics, written `new+carried`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Expr(pub Vec<String>);

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// The pattern captures a count `n` that must equal one of `expect`.
    #[default]
    Count,
    /// The pattern states that every metric in `zero` is zero.
    Zero,
    /// The pattern marks text no later claim may read (`延期答复3件` is not `答复3件`).
    Ignore,
}

/// A statement in prose that the tables must bear out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    pub rule: String,
    #[serde(default)]
    pub kind: ClaimKind,
    /// A regular expression; a `count` claim captures the number as `(?P<n>…)`.
    pub pattern: String,
    /// A regular expression the sentence must match for the claim to apply (it talks about
    /// applications for disclosure, not licences).
    #[serde(default)]
    pub context: Option<String>,
    /// A regular expression that, found in the sentence of the match, makes it not apply.
    #[serde(default)]
    pub unless: Option<String>,
    #[serde(default)]
    pub expect: Vec<String>,
    /// Expressions that make the claim ambiguous rather than wrong (a warning).
    #[serde(default)]
    pub warn: Vec<String>,
    #[serde(default)]
    pub zero: Vec<String>,
    #[serde(default)]
    pub severity: Option<String>,
    /// The read `pattern` (read when the profile loads), `context` and `unless` (read when
    /// a report first needs them, or when a user's profile loads, to report mistakes).
    #[serde(skip)]
    regex: OnceLock<Pattern>,
    #[serde(skip)]
    context_pattern: OnceLock<Pattern>,
    #[serde(skip)]
    unless_pattern: OnceLock<Pattern>,
    /// Texts one of which every match starts with (the pattern's prefixes); `None` when the
    /// pattern does not tell.
    #[serde(skip)]
    pub(crate) gate: Option<Vec<String>>,
    #[serde(skip)]
    pub(crate) expect_resolved: Vec<Expr>,
    #[serde(skip)]
    pub(crate) warn_resolved: Vec<Expr>,
    #[serde(skip)]
    pub(crate) severity_resolved: Option<Severity>,
}

impl Claim {
    pub(crate) fn regex(&self) -> &Pattern {
        self.regex.get_or_init(|| accepted(&self.pattern))
    }

    pub(crate) fn context_pattern(&self) -> Option<&Pattern> {
        let p = self.context.as_deref()?;
        Some(self.context_pattern.get_or_init(|| accepted(p)))
    }

    pub(crate) fn unless_pattern(&self) -> Option<&Pattern> {
        let p = self.unless.as_deref()?;
        Some(self.unless_pattern.get_or_init(|| accepted(p)))
    }
}

/// The most tables a profile can have (a report has three; table reading keeps a set of
/// tables in a 64-bit word).
pub const MAX_TABLES: usize = 64;

/// Tells which claims can match in a text, in one pass over it: it looks for the texts each
/// claim's matches start with ([`Claim::gate`]), so the patterns of the others need not run.
#[derive(Debug, Default)]
pub(crate) struct ClaimGates {
    /// A bit for the first character of every gate text that starts with a three-byte
    /// character (CJK), by its code point.
    firsts: Vec<u64>,
    /// Those gate texts by the code point of their first character, with the claims each opens.
    texts: Vec<(u32, String, Vec<usize>)>,
    /// Gate texts starting otherwise, with the claims each opens.
    others: Vec<(String, Vec<usize>)>,
    /// Claims without a gate: always tried.
    always: Vec<usize>,
    claims: usize,
}

impl ClaimGates {
    fn new(claims: &[Claim]) -> ClaimGates {
        let mut gates = ClaimGates {
            firsts: vec![0; 1024],
            texts: Vec::new(),
            others: Vec::new(),
            always: Vec::new(),
            claims: claims.len(),
        };
        for (i, claim) in claims.iter().enumerate() {
            let Some(texts) = &claim.gate else {
                gates.always.push(i);
                continue;
            };
            for t in texts {
                let Some(first) = t.chars().next() else {
                    continue;
                };
                if first.len_utf8() != 3 {
                    match gates.others.iter_mut().find(|e| e.0 == *t) {
                        Some(e) => e.1.push(i),
                        None => gates.others.push((t.clone(), vec![i])),
                    }
                    continue;
                }
                let key = u32::from(first);
                gates.firsts[key as usize / 64] |= 1 << (key % 64);
                match gates.texts.iter_mut().find(|e| e.1 == *t) {
                    Some(e) => e.2.push(i),
                    None => gates.texts.push((key, t.clone(), vec![i])),
                }
            }
        }
        gates.texts.sort_by_key(|e| e.0);
        gates
    }

    /// For each claim, whether it can match somewhere in `s`.
    pub(crate) fn open(&self, s: &str) -> Vec<bool> {
        let mut open = vec![false; self.claims];
        for &i in &self.always {
            open[i] = true;
        }
        for (text, claims) in &self.others {
            if s.contains(text.as_str()) {
                for &c in claims {
                    open[c] = true;
                }
            }
        }
        // Only the three-byte characters (CJK) can start a text of `firsts`: step over the rest
        // byte by byte, without decoding. A character's first two bytes pick its word of
        // `firsts` (nearly always 0: one load and test a character), the third its bit.
        let Ok(firsts) = <&[u64; 1024]>::try_from(self.firsts.as_slice()) else {
            return open;
        };
        // The rest of the text is matched as a slice of at least three bytes: no bounds checks.
        let mut rest = s.as_bytes();
        let is_first = |lead: u8, b1: u8, b2: u8| {
            firsts[usize::from(lead & 0x0f) << 6 | usize::from(b1 & 0x3f)] & (1 << (b2 & 0x3f)) != 0
        };
        loop {
            // Two characters a step while both are three-byte ones and neither starts a gate
            // text (most of a paragraph)...
            while let &[a0, a1, a2, b0, b1, b2, ref tail @ ..] = rest {
                if a0 & 0xf0 != 0xe0
                    || b0 & 0xf0 != 0xe0
                    || is_first(a0, a1, a2)
                    || is_first(b0, b1, b2)
                {
                    break;
                }
                rest = tail;
            }
            // ...then one byte or character.
            let &[lead, b1, b2, ref tail @ ..] = rest else {
                break;
            };
            if lead & 0xf0 != 0xe0 {
                rest = &rest[1..];
                continue;
            }
            if is_first(lead, b1, b2) {
                let key =
                    u32::from(lead & 0x0f) << 12 | u32::from(b1 & 0x3f) << 6 | u32::from(b2 & 0x3f);
                self.open_at(rest, key, &mut open);
            }
            rest = tail;
        }
        open
    }

    /// Opens the claims of the gate texts `text` starts with, whose first character is `key`.
    /// Kept out of the scan loop: most characters are not a gate's first.
    #[inline(never)]
    fn open_at(&self, text: &[u8], key: u32, open: &mut [bool]) {
        let from = self.texts.partition_point(|e| e.0 < key);
        for (_, gate, claims) in self.texts[from..].iter().take_while(|e| e.0 == key) {
            if text.starts_with(gate.as_bytes()) {
                for &c in claims {
                    open[c] = true;
                }
            }
        }
    }
}

/// A pattern that loading has already accepted (a built-in profile's, which the tests
/// compile, or a user's, compiled when loaded).
fn accepted(pattern: &str) -> Pattern {
    match Pattern::new(pattern) {
        Ok(p) => p,
        Err(e) => panic!("a profile pattern was accepted but does not compile: {e}"),
    }
}

/// Why a profile could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    /// Where: `line:column` for JSON syntax, a path such as `tables[1].rows[3]` otherwise.
    pub location: String,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for ProfileError {}

fn err(location: impl Into<String>, message: impl Into<String>) -> ProfileError {
    ProfileError {
        location: location.into(),
        message: message.into(),
    }
}

impl Profile {
    /// Reads and checks a profile written in JSON.
    pub fn from_json(text: &str) -> Result<Profile, ProfileError> {
        Profile::load(text, true)
    }

    /// Reads a profile. Its claims' patterns are read now (their prefixes gate them); their
    /// `context` and `unless` too when `eager` (a user's profile, to report mistakes), else on
    /// first use.
    fn load(text: &str, eager: bool) -> Result<Profile, ProfileError> {
        let mut profile: Profile = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| err(format!("{}:{}", e.line(), e.column()), e.to_string()))?;
        profile.compile(eager)?;
        Ok(profile)
    }

    /// The tables that have a normalised text as a label (one lookup for all tables).
    pub(crate) fn label_tables(&self, normalized: &str) -> LabelTables {
        self.label_tables
            .get(normalized)
            .copied()
            .unwrap_or_default()
    }

    pub fn table(&self, id: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.id == id)
    }

    pub fn section(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id == id)
    }

    pub fn display_name(&self, lang: crate::lang::Lang) -> &str {
        match (lang, &self.name_en) {
            (crate::lang::Lang::En, Some(en)) => en,
            _ => &self.name,
        }
    }

    /// Whether some table label holds a full stop: else a line with one is prose, never a label.
    pub(crate) fn has_sentence_label(&self) -> bool {
        self.tables.iter().any(|t| t.has_sentence_label)
    }

    fn compile(&mut self, eager: bool) -> Result<(), ProfileError> {
        if self.id.trim().is_empty() {
            return Err(err("id", "must not be empty"));
        }
        if self.sections.is_empty() {
            return Err(err("sections", "a profile needs at least one section"));
        }
        if self.title.suffix.trim().is_empty() {
            return Err(err("title.suffix", "must not be empty"));
        }
        self.title.suffix_normalized = normalize(&self.title.suffix);
        let mut seen = HashMap::new();
        for (i, s) in self.sections.iter_mut().enumerate() {
            let at = format!("sections[{i}]");
            if seen.insert(s.id.clone(), i).is_some() {
                return Err(err(at, format!("duplicate section id `{}`", s.id)));
            }
            if s.title.trim().is_empty() {
                return Err(err(format!("{at}.title"), "must not be empty"));
            }
            s.norm_title = normalize(&s.title);
            s.norm_variants = s.variants.iter().map(|v| normalize(v)).collect();
        }
        if self.tables.len() > MAX_TABLES {
            return Err(err(
                "tables",
                format!(
                    "at most {MAX_TABLES} tables (this profile has {})",
                    self.tables.len()
                ),
            ));
        }
        let mut table_ids = HashMap::new();
        for (i, t) in self.tables.iter_mut().enumerate() {
            if table_ids.insert(t.id.clone(), i).is_some() {
                return Err(err(
                    format!("tables[{i}]"),
                    format!("duplicate table id `{}`", t.id),
                ));
            }
            compile_table(t, &format!("tables[{i}]"))?;
        }
        for (i, s) in self.sections.iter().enumerate() {
            if let Some(t) = &s.table {
                if !table_ids.contains_key(t) {
                    return Err(err(
                        format!("sections[{i}].table"),
                        format!("no table `{t}`"),
                    ));
                }
            }
        }
        for i in 0..self.relations.len() {
            let resolved = self.resolve_relation(i)?;
            self.relations[i].resolved = Some(resolved);
        }
        let names: Vec<String> = self.metrics.keys().cloned().collect();
        for name in names {
            let cells = self.metrics[&name].cells.clone();
            let mut resolved = Vec::new();
            for (j, cell) in cells.iter().enumerate() {
                resolved.extend(self.parse_cell_ref(cell, &format!("metrics.{name}.cells[{j}]"))?);
            }
            if let Some(m) = self.metrics.get_mut(&name) {
                m.resolved = resolved;
            }
        }
        self.percent_bases_resolved = self
            .percent_bases
            .iter()
            .enumerate()
            .map(|(i, e)| self.parse_expr(e, &format!("percent_bases[{i}]")))
            .collect::<Result<_, _>>()?;
        for i in 0..self.claims.len() {
            self.compile_claim(i, eager)?;
        }
        self.claim_gates = ClaimGates::new(&self.claims);
        self.label_tables = FastMap::default();
        for (t, spec) in self.tables.iter().enumerate() {
            for (text, refs) in &spec.vocab {
                let entry = self.label_tables.entry(text.clone()).or_default();
                entry.any |= 1 << t;
                if refs.iter().any(|(r, _)| !matches!(r, LabelRef::Column)) {
                    entry.strong |= 1 << t;
                }
                if refs
                    .iter()
                    .any(|(r, _)| matches!(r, LabelRef::Row(_) | LabelRef::Group(_)))
                {
                    entry.row_or_group |= 1 << t;
                }
            }
        }
        for (i, y) in self.year_relations.iter().enumerate() {
            let at = format!("year_relations[{i}]");
            let t = self
                .table(&y.table)
                .ok_or_else(|| err(format!("{at}.table"), format!("no table `{}`", y.table)))?;
            let spec = &self.tables[t];
            let rows: Vec<&str> = spec.rows.iter().map(|r| r.id.as_str()).collect();
            let columns: Vec<&str> = spec.columns.iter().map(|c| c.id.as_str()).collect();
            let sides = [
                ("lhs", &y.lhs),
                ("previous", &y.previous),
                ("plus", &y.plus),
                ("minus", &y.minus),
            ];
            let check = |field: &str, ids: &[String], universe: &[&str]| {
                ids.iter().enumerate().try_for_each(|(j, id)| {
                    expand_ids(id, universe)
                        .map(drop)
                        .map_err(|m| err(format!("{at}.{field}[{j}]"), m))
                })
            };
            if y.lhs.is_empty() || y.previous.is_empty() {
                return Err(err(at, "`lhs` and `previous` name at least one id each"));
            }
            match y.for_each {
                ForEach::Row => {
                    check("each", &y.each, &rows)?;
                    for id in &y.each {
                        for r in expand_ids(id, &rows).unwrap_or_default() {
                            let own: Vec<&str> =
                                spec.columns_of(r).iter().map(|c| c.id.as_str()).collect();
                            for (field, ids) in sides {
                                check(field, ids, &own)?;
                            }
                        }
                    }
                }
                ForEach::Column => {
                    if spec.layout == Layout::Blocks {
                        return Err(err(
                            format!("{at}.for_each"),
                            "`column` needs a table with one set of columns",
                        ));
                    }
                    check("each", &y.each, &columns)?;
                    for (field, ids) in sides {
                        check(field, ids, &rows)?;
                    }
                }
            }
            if !crate::rules::ALL.iter().any(|r| r.meta.code == y.rule) {
                return Err(err(format!("{at}.rule"), format!("no rule `{}`", y.rule)));
            }
        }
        Ok(())
    }

    fn compile_claim(&mut self, i: usize, eager: bool) -> Result<(), ProfileError> {
        let at = format!("claims[{i}]");
        let claim = &self.claims[i];
        // Built in microseconds (see `pattern`), so always: its prefixes are the claim's gate.
        let regex = Pattern::new(&claim.pattern)
            .map_err(|e| err(format!("{at}.pattern"), e.to_string()))?;
        if claim.kind == ClaimKind::Count && regex.group("n").is_none() {
            return Err(err(
                format!("{at}.pattern"),
                "a count claim must capture the number as (?P<n>…)",
            ));
        }
        if claim.kind == ClaimKind::Count && claim.expect.is_empty() {
            return Err(err(
                format!("{at}.expect"),
                "a count claim needs at least one expected expression",
            ));
        }
        if claim.kind == ClaimKind::Zero && claim.zero.is_empty() {
            return Err(err(
                format!("{at}.zero"),
                "a zero claim needs at least one metric",
            ));
        }
        let expect = claim
            .expect
            .iter()
            .enumerate()
            .map(|(j, e)| self.parse_expr(e, &format!("{at}.expect[{j}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let warn = claim
            .warn
            .iter()
            .enumerate()
            .map(|(j, e)| self.parse_expr(e, &format!("{at}.warn[{j}]")))
            .collect::<Result<Vec<_>, _>>()?;
        for (j, z) in claim.zero.iter().enumerate() {
            self.parse_expr(z, &format!("{at}.zero[{j}]"))?;
        }
        let compile_opt = |r: &Option<String>,
                           field: &str|
         -> Result<Option<Pattern>, ProfileError> {
            r.as_deref()
                .filter(|_| eager)
                .map(|p| Pattern::new(p).map_err(|e| err(format!("{at}.{field}"), e.to_string())))
                .transpose()
        };
        let context = compile_opt(&claim.context, "context")?;
        let unless = compile_opt(&claim.unless, "unless")?;
        let gate = regex.prefixes().map(<[String]>::to_vec);
        let severity =
            match &claim.severity {
                Some(s) => Some(Severity::parse(s).ok_or_else(|| {
                    err(format!("{at}.severity"), format!("unknown severity `{s}`"))
                })?),
                None => None,
            };
        let claim = &mut self.claims[i];
        claim.regex = OnceLock::from(regex);
        claim.context_pattern = context.map(OnceLock::from).unwrap_or_default();
        claim.unless_pattern = unless.map(OnceLock::from).unwrap_or_default();
        claim.gate = gate;
        claim.expect_resolved = expect;
        claim.warn_resolved = warn;
        claim.severity_resolved = severity;
        Ok(())
    }

    fn parse_expr(&self, text: &str, at: &str) -> Result<Expr, ProfileError> {
        let names: Vec<String> = text.split('+').map(|s| s.trim().to_string()).collect();
        for n in &names {
            if !self.metrics.contains_key(n) {
                return Err(err(at, format!("no metric `{n}`")));
            }
        }
        Ok(Expr(names))
    }

    fn parse_cell_ref(&self, text: &str, at: &str) -> Result<Vec<CellRef>, ProfileError> {
        let parts: Vec<&str> = text.split('/').collect();
        let [table, rows, column] = parts.as_slice() else {
            return Err(err(at, format!("`{text}` is not `table/row/column`")));
        };
        let t = self
            .table(table)
            .ok_or_else(|| err(at, format!("no table `{table}`")))?;
        let spec = &self.tables[t];
        let rows = expand_ids(
            rows,
            &spec.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        )
        .map_err(|m| err(at, m))?;
        let mut out = Vec::new();
        for r in rows {
            let columns: Vec<&str> = spec.columns_of(r).iter().map(|c| c.id.as_str()).collect();
            for c in expand_ids(column, &columns).map_err(|m| err(at, m))? {
                out.push(CellRef {
                    table: t,
                    row: r,
                    column: columns[c].to_string(),
                });
            }
        }
        Ok(out)
    }

    fn resolve_relation(&self, i: usize) -> Result<ResolvedRelation, ProfileError> {
        let rel = &self.relations[i];
        let at = format!("relations[{i}]");
        let t = self
            .table(&rel.table)
            .ok_or_else(|| err(format!("{at}.table"), format!("no table `{}`", rel.table)))?;
        let spec = &self.tables[t];
        let row_ids: Vec<&str> = spec.rows.iter().map(|r| r.id.as_str()).collect();
        let expand_all =
            |ids: &[String], universe: &[&str], field: &str| -> Result<Vec<usize>, ProfileError> {
                let mut out = Vec::new();
                for (j, id) in ids.iter().enumerate() {
                    out.extend(
                        expand_ids(id, universe)
                            .map_err(|m| err(format!("{at}.{field}[{j}]"), m))?,
                    );
                }
                Ok(out)
            };
        if rel.lhs.is_empty() {
            return Err(err(
                format!("{at}.lhs"),
                "must name at least one row or column",
            ));
        }
        match rel.for_each {
            ForEach::Row => {
                let each_rows = expand_all(&rel.each, &row_ids, "each")?;
                let mut each_row_columns = Vec::with_capacity(each_rows.len());
                for &r in &each_rows {
                    let columns: Vec<&str> =
                        spec.columns_of(r).iter().map(|c| c.id.as_str()).collect();
                    each_row_columns.push((
                        expand_all(&rel.lhs, &columns, "lhs")?,
                        expand_all(&rel.rhs, &columns, "rhs")?,
                    ));
                }
                Ok(ResolvedRelation {
                    table: t,
                    each_rows,
                    each_row_columns,
                    each_columns: Vec::new(),
                    lhs_rows: Vec::new(),
                    rhs_rows: Vec::new(),
                })
            }
            ForEach::Column => {
                if spec.layout == Layout::Blocks {
                    return Err(err(
                        format!("{at}.for_each"),
                        "`column` needs a table with one set of columns",
                    ));
                }
                let columns: Vec<&str> = spec.columns.iter().map(|c| c.id.as_str()).collect();
                let each_columns = expand_all(&rel.each, &columns, "each")?
                    .into_iter()
                    .map(|c| columns[c].to_string())
                    .collect();
                Ok(ResolvedRelation {
                    table: t,
                    each_rows: Vec::new(),
                    each_row_columns: Vec::new(),
                    each_columns,
                    lhs_rows: expand_all(&rel.lhs, &row_ids, "lhs")?,
                    rhs_rows: expand_all(&rel.rhs, &row_ids, "rhs")?,
                })
            }
        }
    }
}

/// `*`, `id` or `first..last` over an ordered list of ids.
pub(crate) fn expand_ids(spec: &str, universe: &[&str]) -> Result<Vec<usize>, String> {
    if spec == "*" {
        return Ok((0..universe.len()).collect());
    }
    let find = |id: &str| {
        universe
            .iter()
            .position(|u| *u == id)
            .ok_or_else(|| format!("no row or column `{id}`"))
    };
    match spec.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (find(a)?, find(b)?);
            if a > b {
                return Err(format!("`{spec}` runs backwards"));
            }
            Ok((a..=b).collect())
        }
        None => Ok(vec![find(spec)?]),
    }
}

fn compile_table(t: &mut TableSpec, at: &str) -> Result<(), ProfileError> {
    if t.rows.is_empty() {
        return Err(err(format!("{at}.rows"), "a table needs at least one row"));
    }
    match t.layout {
        Layout::Blocks if t.blocks.is_empty() => {
            return Err(err(format!("{at}.blocks"), "a `blocks` table needs blocks"));
        }
        Layout::Grid | Layout::SingleRow if t.columns.is_empty() => {
            return Err(err(format!("{at}.columns"), "this table needs columns"));
        }
        Layout::SingleRow if t.rows.len() != 1 => {
            return Err(err(
                format!("{at}.rows"),
                "a `single_row` table has exactly one row",
            ));
        }
        _ => {}
    }
    let mut vocab: FastMap<String, Vec<(LabelRef, Quality)>> = FastMap::default();
    let mut add = |text: &str, r: LabelRef, q: Quality| {
        let n = normalize(text);
        if n.is_empty() {
            return;
        }
        let entry = vocab.entry(n).or_default();
        if !entry.iter().any(|(e, _)| *e == r) {
            entry.push((r, q));
        }
    };
    let group_ids: HashMap<&str, usize> = t
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let block_ids: HashMap<&str, usize> = t
        .blocks
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id.as_str(), i))
        .collect();
    let mut row_index = FastMap::default();
    let mut row_block = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        let rat = format!("{at}.rows[{i}]");
        if row_index.insert(r.id.clone(), i).is_some() {
            return Err(err(rat, format!("duplicate row id `{}`", r.id)));
        }
        if r.label.trim().is_empty() && t.layout != Layout::SingleRow {
            return Err(err(format!("{rat}.label"), "must not be empty"));
        }
        for g in &r.groups {
            if !group_ids.contains_key(g.as_str()) {
                return Err(err(format!("{rat}.groups"), format!("no group `{g}`")));
            }
        }
        let block = match (&r.block, t.layout) {
            (Some(b), Layout::Blocks) => Some(
                *block_ids
                    .get(b.as_str())
                    .ok_or_else(|| err(format!("{rat}.block"), format!("no block `{b}`")))?,
            ),
            (None, Layout::Blocks) => {
                return Err(err(
                    format!("{rat}.block"),
                    "a row of a `blocks` table needs a block",
                ))
            }
            (Some(_), _) => {
                return Err(err(
                    format!("{rat}.block"),
                    "only rows of a `blocks` table have a block",
                ))
            }
            (None, _) => None,
        };
        row_block.push(block);
        add(&r.label, LabelRef::Row(i), Quality::Exact);
        for v in &r.variants {
            add(v, LabelRef::Row(i), Quality::Variant);
        }
    }
    for (i, g) in t.groups.iter().enumerate() {
        add(&g.label, LabelRef::Group(i), Quality::Exact);
        for v in &g.variants {
            add(v, LabelRef::Group(i), Quality::Variant);
        }
    }
    for (i, b) in t.blocks.iter().enumerate() {
        add(&b.caption, LabelRef::Caption(i), Quality::Exact);
        for v in &b.caption_variants {
            add(v, LabelRef::Caption(i), Quality::Variant);
        }
    }
    for c in t
        .columns
        .iter()
        .chain(t.blocks.iter().flat_map(|b| b.columns.iter()))
    {
        add(&c.label, LabelRef::Column, Quality::Exact);
        for v in &c.variants {
            add(v, LabelRef::Column, Quality::Variant);
        }
    }
    for n in &t.notes {
        add(n, LabelRef::Note, Quality::Exact);
    }
    for n in &t.note_variants {
        add(n, LabelRef::Note, Quality::Variant);
    }
    let mut cores: FastMap<String, Vec<LabelRef>> = FastMap::default();
    for (text, r) in t
        .label_texts()
        .map(|(s, r)| (normalize(s), r))
        .collect::<Vec<_>>()
    {
        let c = core(&text).to_string();
        if c.is_empty() {
            continue;
        }
        let entry = cores.entry(c).or_default();
        if !entry.contains(&r) {
            entry.push(r);
        }
    }
    if let Some(sk) = &t.skeleton {
        let width = sk.label_columns + t.width();
        for (i, row) in sk.header_rows.iter().enumerate() {
            if row.len() != width {
                return Err(err(
                    format!("{at}.skeleton.header_rows[{i}]"),
                    format!(
                        "has {} cells; label columns plus value columns make {width}",
                        row.len()
                    ),
                ));
            }
        }
    }
    let mut norm_labels: Vec<String> = t.vocab.keys().cloned().collect();
    norm_labels.extend(vocab.keys().cloned());
    norm_labels.sort();
    norm_labels.dedup();
    t.has_sentence_label = norm_labels.iter().any(|l| l.contains('。'));
    t.norm_labels = norm_labels;
    t.vocab = vocab;
    t.cores = cores;
    t.row_index = row_index;
    t.row_block = row_block;
    Ok(())
}

static BUILTIN: OnceLock<Vec<Arc<Profile>>> = OnceLock::new();

const BUILTIN_SOURCES: &[(&str, &str)] = &[
    ("f2021", include_str!("f2021.json")),
    ("f2019", include_str!("f2019.json")),
];

/// The built-in profiles, newest first.
pub fn builtins() -> &'static [Arc<Profile>] {
    BUILTIN.get_or_init(|| {
        BUILTIN_SOURCES
            .iter()
            .map(|(id, src)| match Profile::load(src, false) {
                Ok(p) => Arc::new(p),
                Err(e) => panic!("built-in profile {id} is broken: {e}"),
            })
            .collect()
    })
}

pub fn builtin(id: &str) -> Option<Arc<Profile>> {
    builtins()
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(id))
        .cloned()
}

/// The built-in profile for a report year: the one whose years hold it, else the nearest.
pub fn for_year(year: u16) -> Arc<Profile> {
    let all = builtins();
    if let Some(p) = all.iter().find(|p| p.years.contains(year)) {
        return p.clone();
    }
    all.iter()
        .min_by_key(|p| {
            let from = p.years.from.unwrap_or(0);
            let to = p.years.to.unwrap_or(u16::MAX);
            if year < from {
                from - year
            } else {
                year.saturating_sub(to)
            }
        })
        .unwrap_or(&all[0])
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load() {
        let all = builtins();
        assert_eq!(all.len(), 2);
        assert_eq!(for_year(2021).id, "f2021");
        assert_eq!(for_year(2025).id, "f2021");
        assert_eq!(for_year(2019).id, "f2019");
        assert_eq!(for_year(2020).id, "f2019");
        assert_eq!(for_year(2015).id, "f2019");
        let f2021 = builtin("F2021").unwrap();
        let t3 = &f2021.tables[f2021.table("t3").unwrap()];
        assert_eq!(t3.rows.len(), 25);
        let f2019 = builtin("f2019").unwrap();
        assert_eq!(f2019.tables[f2019.table("t3").unwrap()].rows.len(), 23);
    }

    #[test]
    fn builtin_claims_compile_and_have_gates() {
        for p in builtins() {
            for (i, c) in p.claims.iter().enumerate() {
                let re = c.regex();
                assert!(re.is_light(), "{} claims[{i}] needs the regex crate", p.id);
                for extra in [c.context_pattern(), c.unless_pattern()]
                    .into_iter()
                    .flatten()
                {
                    assert!(extra.is_light(), "{} claims[{i}]: {}", p.id, extra.as_str());
                }
                if c.kind == ClaimKind::Count {
                    assert!(re.group("n").is_some(), "{} {i}", p.id);
                }
                assert!(c.gate.is_some(), "{} claims[{i}] has no gate", p.id);
            }
        }
    }

    #[test]
    fn one_lookup_finds_what_each_table_has() {
        for p in builtins() {
            let texts: std::collections::BTreeSet<&String> =
                p.tables.iter().flat_map(|t| t.vocab.keys()).collect();
            assert!(!texts.is_empty());
            for text in texts.into_iter().chain([&"不是标签".to_string()]) {
                let mut want = LabelTables::default();
                for (i, t) in p.tables.iter().enumerate() {
                    let refs = t.lookup(text);
                    if !refs.is_empty() {
                        want.any |= 1 << i;
                    }
                    if refs.iter().any(|(r, _)| !matches!(r, LabelRef::Column)) {
                        want.strong |= 1 << i;
                    }
                    if refs
                        .iter()
                        .any(|(r, _)| matches!(r, LabelRef::Row(_) | LabelRef::Group(_)))
                    {
                        want.row_or_group |= 1 << i;
                    }
                }
                assert_eq!(p.label_tables(text), want, "{}: {text}", p.id);
            }
        }
    }

    #[test]
    fn gates_open_the_claims_whose_texts_occur() {
        let claims: Vec<Claim> = ["甲乙[0-9]", "丙丁|x", "(?:戊|己)"]
            .iter()
            .map(|p| Claim {
                gate: Pattern::new(p).unwrap().prefixes().map(<[String]>::to_vec),
                ..serde_json::from_value(serde_json::json!({
                    "id": "c", "rule": "P001", "kind": "ignore", "pattern": p
                }))
                .unwrap()
            })
            .collect();
        let gates = ClaimGates::new(&claims);
        assert_eq!(gates.open("无关"), [false, false, false]);
        assert_eq!(gates.open("说甲乙与己x"), [true, true, true]);
        assert_eq!(gates.open("甲"), [false, false, false]);
        assert_eq!(gates.open("a丙丁"), [false, true, false]);
        assert_eq!(gates.open("戊"), [false, false, true]);
    }

    proptest::proptest! {
        /// The scan opens exactly the claims one of whose gate texts the text contains,
        /// wherever the text falls among one-, three- and four-byte characters.
        #[test]
        fn gates_open_what_the_text_contains(
            pieces in proptest::collection::vec(0usize..12, 0..40),
        ) {
            let p = &builtins()[0];
            let gate_texts: Vec<&String> = p.claims.iter().flat_map(|c| c.gate.iter().flatten()).collect();
            let alphabet = ["年", "度", "a", "7", "😀", "。", " ", "件", "申", "请"];
            let text: String = pieces
                .iter()
                .enumerate()
                .map(|(i, &k)| match alphabet.get(k) {
                    Some(s) => s.to_string(),
                    None => gate_texts[i % gate_texts.len()].clone(),
                })
                .collect();
            let want: Vec<bool> = p
                .claims
                .iter()
                .map(|c| c.gate.as_ref().is_none_or(|g| g.iter().any(|t| text.contains(t.as_str()))))
                .collect();
            proptest::prop_assert_eq!(p.claim_gates.open(&text), want, "{}", text);
        }
    }

    #[test]
    fn bad_profiles_say_where() {
        let e = Profile::from_json("{\"id\": \"x\",\n \"name\": 3}").unwrap_err();
        assert_eq!(e.location, "2:10");
        let src = builtin_source("f2021").replace(
            "\"lhs\": [\n        \"total\"",
            "\"lhs\": [\n        \"totl\"",
        );
        let e = Profile::from_json(&src).unwrap_err();
        assert_eq!(e.location, "relations[0].lhs[0]");
        assert!(e.message.contains("totl"), "{e}");
        let src = builtin_source("f2021").replacen("\"(?:新收", "\"((?:新收", 1);
        let e = Profile::from_json(&src).unwrap_err();
        assert_eq!(e.location, "claims[3].pattern");
    }

    #[test]
    fn too_many_tables_are_refused() {
        let mut v: serde_json::Value = serde_json::from_str(&builtin_source("f2021")).unwrap();
        let table = v["tables"][0].clone();
        let tables = v["tables"].as_array_mut().unwrap();
        for i in tables.len()..=MAX_TABLES {
            let mut t = table.clone();
            t["id"] = serde_json::json!(format!("extra{i}"));
            tables.push(t);
        }
        let e = Profile::from_json(&v.to_string()).unwrap_err();
        assert_eq!(e.location, "tables");
        assert!(e.message.contains("64"), "{e}");
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let src = builtin_source("f2021").replacen(
            "\"id\": \"f2021\",",
            "\"id\": \"f2021\", \"colour\": 1,",
            1,
        );
        let e = Profile::from_json(&src).unwrap_err();
        assert!(e.message.contains("colour"), "{e}");
    }

    fn builtin_source(id: &str) -> String {
        BUILTIN_SOURCES
            .iter()
            .find(|(i, _)| *i == id)
            .unwrap()
            .1
            .to_string()
    }
}
