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
pub mod import;
pub mod lang;
pub mod line_index;
pub mod lsp;
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
    let mut diagnostics = rules::check(text, &document, opts);
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
    suppress::apply(text, &mut diagnostics, opts.lang, unused);
    Analysis {
        document,
        diagnostics,
    }
}
