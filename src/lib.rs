//! reportlint: checks drafts of 政府信息公开工作年度报告 against their national format.
//!
//! The core is pure: [`analyze`] takes a text and returns the parsed report and its
//! diagnostics, without IO, async or any protocol. The command line and the language server
//! convert and route.

use std::sync::Arc;

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod fix;
pub mod glob;
pub mod hash;
pub mod import;
pub mod lang;
pub mod line_index;
pub mod lsp;
mod memory;
pub mod pattern;
pub mod profile;
pub mod render;
pub mod rules;
pub mod suppress;
pub mod template;
pub mod text;
pub mod workspace;

use diagnostic::Diagnostic;
use document::lines::{split_blocks, Block};
use document::{BuildOptions, Document, Flavour};
use lang::Lang;
use profile::Profile;

/// How to analyse a text.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Lang,
    pub flavour: Flavour,
    /// Check every report against this profile instead of choosing one by year.
    pub profile: Option<Arc<Profile>>,
    /// The year to write into skeletons for a draft that states none (the core reads no clock).
    pub default_year: Option<u16>,
    /// Rules turned off or given another severity (from `reportlint.toml`).
    pub rules: Vec<(&'static str, config::Level)>,
    /// Percentages this many points off are accepted, on top of rounding.
    pub percent_tolerance: Option<document::Decimal>,
    /// Reports of earlier years to check against (the same body's report of the year before).
    pub previous: Vec<Arc<Previous>>,
    /// The kind of body publishing the report, when the title does not tell it.
    pub body: Option<document::agency::Body>,
    /// The publication deadline as (month, day) of the year after the report year, overriding
    /// the one the body's kind sets.
    pub deadline: Option<(u8, u8)>,
}

/// Another year's report, parsed, for the cross-year rules.
#[derive(Debug)]
pub struct Previous {
    /// How to name it in messages (a path).
    pub name: String,
    /// Shared with the command line's output, which shows the same text.
    pub text: Arc<String>,
    pub document: Document,
    /// Given by the user (`--previous`): used even when its agency cannot be matched.
    pub explicit: bool,
    /// Per report, its paragraphs by comparison key (built on first use).
    paragraphs: std::sync::OnceLock<Vec<std::collections::HashMap<String, usize>>>,
}

impl Previous {
    /// Parses a text as a previous report (its profile chosen by its own year).
    pub fn parse(name: String, text: String, flavour: Flavour, explicit: bool) -> Previous {
        let blocks = split_blocks(&text);
        let document = document::build(
            &text,
            &blocks,
            &BuildOptions {
                profile: None,
                flavour,
            },
        );
        Previous::from_document(name, text, document, explicit)
    }

    /// A text already parsed.
    pub fn from_document(
        name: String,
        text: String,
        document: Document,
        explicit: bool,
    ) -> Previous {
        Previous {
            name,
            text: Arc::new(text),
            document,
            explicit,
            paragraphs: std::sync::OnceLock::new(),
        }
    }

    /// The paragraphs of its report `i`, by the key S015 compares them with.
    pub(crate) fn paragraph_index(&self, i: usize) -> &std::collections::HashMap<String, usize> {
        &self.paragraphs.get_or_init(|| {
            self.document
                .reports
                .iter()
                .map(|r| rules::paragraph_index(&self.text, r))
                .collect()
        })[i]
    }

    /// Its reports as (agency, year), for pairing.
    pub fn keys(&self) -> impl Iterator<Item = (Option<&str>, Option<u16>)> {
        self.document.reports.iter().map(|r| {
            (
                r.title
                    .as_ref()
                    .and_then(|t| t.agency.as_ref())
                    .map(|a| a.name.as_str()),
                r.year.map(|y| y.value),
            )
        })
    }
}

/// A parsed text and its findings, sorted by position.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub document: Document,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks a text. Never fails: what cannot be read becomes a finding.
pub fn analyze(text: &str, opts: &Options) -> Analysis {
    analyze_blocks(text, &split_blocks(text), opts)
}

/// Like [`analyze`], over blocks already parsed (the language server reuses unchanged ones).
pub fn analyze_blocks(text: &str, blocks: &[Block], opts: &Options) -> Analysis {
    let build = BuildOptions {
        profile: opts.profile.clone(),
        flavour: opts.flavour,
    };
    let document = document::build(text, blocks, &build);
    let diagnostics = check_document(text, &document, opts);
    Analysis {
        document,
        diagnostics,
    }
}

/// Checks a text already parsed (with the same options' profile and flavour).
pub fn check_document(text: &str, document: &Document, opts: &Options) -> Vec<Diagnostic> {
    let mut diagnostics = rules::check(text, document, opts);
    apply_suppressions(text, document, &mut diagnostics, opts);
    diagnostics
}

/// What the analysis of a text keeps for the next analysis of the same document after an
/// edit: the reports whose text did not change are neither read nor checked again.
#[derive(Default)]
pub struct Incremental {
    build: document::build::BuildCache,
    /// Each report's findings in its own positions, by the report (kept alive here).
    findings: hash::FastMap<usize, (Arc<document::Report>, usize, Vec<Diagnostic>)>,
    /// The options the findings were made with.
    fingerprint: String,
}

impl Incremental {
    /// Parses `text`, reusing every report whose blocks did not change.
    pub fn build(&mut self, text: &str, blocks: &[Block], opts: &Options) -> Document {
        let build = BuildOptions {
            profile: opts.profile.clone(),
            flavour: opts.flavour,
        };
        document::build::build_cached(text, blocks, &build, &mut self.build)
    }

    /// How many reports the last [`Incremental::build`] reused.
    pub fn reused_reports(&self) -> usize {
        self.build.reused
    }

    /// Checks a document from [`Incremental::build`], reusing the findings of every report
    /// that was reused (with the same options). Equal to [`check_document`].
    pub fn check(&mut self, text: &str, document: &Document, opts: &Options) -> Vec<Diagnostic> {
        let fingerprint = fingerprint(opts);
        if fingerprint != self.fingerprint {
            self.findings.clear();
            self.fingerprint = fingerprint;
        }
        let mut old = std::mem::take(&mut self.findings);
        self.findings.reserve(document.reports.len());
        let mut diagnostics = Vec::new();
        for (i, placed) in document.reports.iter().enumerate() {
            let key = Arc::as_ptr(&placed.report) as usize;
            let found = match old.remove(&key) {
                Some(entry) if entry.1 == i => entry,
                _ => (
                    placed.report.clone(),
                    i,
                    rules::check_report(text, document, i, opts),
                ),
            };
            diagnostics.extend(found.2.iter().cloned().map(|d| d.shift(placed.offset)));
            self.findings.insert(key, found);
        }
        rules::sort(&mut diagnostics);
        apply_suppressions(text, document, &mut diagnostics, opts);
        diagnostics
    }
}

/// What the findings of a report depend on besides its text.
fn fingerprint(opts: &Options) -> String {
    let previous: Vec<usize> = opts
        .previous
        .iter()
        .map(|p| Arc::as_ptr(p) as usize)
        .collect();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{previous:?}",
        opts.lang,
        opts.flavour,
        opts.profile.as_ref().map(|p| Arc::as_ptr(p) as usize),
        opts.default_year,
        opts.rules,
        opts.percent_tolerance,
        opts.body,
        opts.deadline,
    )
}

/// Drops suppressed findings and reports suppressions that suppress nothing.
fn apply_suppressions(
    text: &str,
    document: &Document,
    diagnostics: &mut Vec<Diagnostic>,
    opts: &Options,
) {
    // Suppressions are HTML comments: a text with no comment mark has none (and a large one
    // is not searched on every keystroke).
    if !document.has_comments {
        return;
    }
    let unused = match opts
        .rules
        .iter()
        .find(|(c, _)| *c == rules::UNUSED_SUPPRESSION)
        .map(|(_, l)| *l)
    {
        Some(config::Level::Off) => None,
        Some(config::Level::On(s)) => Some(s),
        None => Some(diagnostic::Severity::Hint),
    };
    suppress::apply(text, diagnostics, opts.lang, unused);
}
