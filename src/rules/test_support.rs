//! Helpers for the rules' own tests: run the checks and show one rule's findings and fixes.

use std::fmt::Write;

use crate::document::Flavour;
use crate::lang::Lang;
use crate::line_index::{ColumnUnit, LineIndex};
use crate::template::Skeleton;
use crate::{analyze, Options};

fn show(code: &str, text: &str, flavour: Flavour, lang: Lang) -> String {
    let opts = Options {
        lang,
        flavour,
        ..Options::default()
    };
    let analysis = analyze(text, &opts);
    let index = LineIndex::new(text);
    let renderer = crate::render::Renderer {
        path: "t",
        text,
        index: &index,
        lang,
    };
    let mut out = String::new();
    for d in analysis.diagnostics.iter().filter(|d| d.code == code) {
        let lc = index.line_col(text, d.range.start, ColumnUnit::Char);
        let _ = writeln!(
            out,
            "{}:{} {} {}",
            lc.line + 1,
            lc.col + 1,
            d.severity.as_str(),
            d.message
        );
        if let Some(fix) = &d.fix {
            let _ = writeln!(out, "  fix ({}): {}", fix.applicability.as_str(), fix.title);
            for line in renderer.fix_diff(fix).lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

/// One rule's findings on a plain-text draft, in Chinese.
pub(crate) fn check_rule(code: &str, text: &str) -> String {
    show(code, text, Flavour::Plain, Lang::Zh)
}

/// One rule's findings on a Markdown draft.
pub(crate) fn check_rule_md(code: &str, text: &str) -> String {
    show(code, text, Flavour::Markdown, Lang::Zh)
}

/// One rule's findings, in English.
pub(crate) fn check_rule_en(code: &str, text: &str) -> String {
    show(code, text, Flavour::Plain, Lang::En)
}

/// A complete, clean 2021 report to edit in tests.
pub(crate) fn clean_report(flavour: Flavour) -> String {
    let p = crate::profile::builtin("f2021").expect("built-in");
    Skeleton {
        profile: &p,
        flavour,
        newline: "\n",
        heading_level: None,
    }
    .report(Some(2021), Some("某区人民政府"))
}

/// Replaces the values of the row whose label cell is `label` in a plain (tab-separated) report.
pub(crate) fn set_row(text: &str, label: &str, cells: &str) -> String {
    let mut found = false;
    let out: Vec<String> = text
        .split('\n')
        .map(|line| {
            let parts: Vec<&str> = line.split('\t').collect();
            match parts.iter().position(|c| *c == label) {
                Some(pos) if !found => {
                    found = true;
                    let mut row: Vec<&str> = parts[..=pos].to_vec();
                    row.extend(cells.split_whitespace());
                    row.join("\t")
                }
                _ => line.to_string(),
            }
        })
        .collect();
    assert!(found, "no row labelled {label}");
    out.join("\n")
}
