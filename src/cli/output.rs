//! Everything the command line prints: the only module allowed to write to stdout and stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;

use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Lang;
use crate::line_index::{ColumnUnit, LineIndex};
use crate::render::Renderer;
use crate::tr;

use super::args::Format;

/// One checked file with its findings.
pub struct Checked {
    pub display: String,
    pub text: std::sync::Arc<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn error(lang: Lang, message: &str) {
    let label = tr!(lang, "错误", "error");
    eprintln!("{label}: {message}");
}

pub fn note(lang: Lang, message: &str) {
    let label = tr!(lang, "提示", "note");
    eprintln!("{label}: {message}");
}

pub fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

pub fn report(files: &[Checked], format: Format, lang: Lang) {
    stdout(&rendered(files, format, lang));
}

/// The report on stderr (when stdout carries the fixed text).
pub fn report_to_stderr(files: &[Checked], format: Format, lang: Lang) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(rendered(files, format, lang).as_bytes());
}

fn rendered(files: &[Checked], format: Format, lang: Lang) -> String {
    match format {
        Format::Json => json_report(files).to_string() + "\n",
        Format::Sarif => sarif_report(files, lang).to_string() + "\n",
        Format::Github => github_report(files),
        Format::Text | Format::Concise => {
            let mut out = String::new();
            // Only files with findings need their lines indexed.
            for f in files.iter().filter(|f| !f.diagnostics.is_empty()) {
                let index = LineIndex::new(&f.text);
                let r = Renderer {
                    path: &f.display,
                    text: &f.text,
                    index: &index,
                    lang,
                };
                for d in &f.diagnostics {
                    if format == Format::Concise {
                        out.push_str(&r.headline(d));
                        out.push('\n');
                    } else {
                        out.push_str(&r.render(d));
                        out.push('\n');
                    }
                }
            }
            out.push_str(&summary(files, lang));
            out.push('\n');
            out
        }
    }
}

fn summary(files: &[Checked], lang: Lang) -> String {
    let count = |s: Severity| {
        files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == s)
            .count()
    };
    let (e, w, h) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Hint),
    );
    let n = files.len();
    if e + w + h == 0 {
        return tr!(
            lang,
            "检查了 {n} 个文件，未发现问题。",
            "Checked {n} file(s): no problems found."
        );
    }
    tr!(
        lang,
        "检查了 {n} 个文件：{e} 个错误，{w} 个警告，{h} 个提示。",
        "Checked {n} file(s): {e} error(s), {w} warning(s), {h} hint(s)."
    )
}

/// 1-based line and column, columns counted in characters.
fn position(text: &str, index: &LineIndex, offset: usize) -> (u32, u32) {
    let lc = index.line_col(text, offset, ColumnUnit::Char);
    (lc.line + 1, lc.col + 1)
}

pub fn json_report(files: &[Checked]) -> Value {
    let mut out = Vec::new();
    for f in files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let index = LineIndex::new(&f.text);
        for d in &f.diagnostics {
            out.push(json_diagnostic(&f.display, &f.text, &index, d));
        }
    }
    Value::Array(out)
}

fn json_diagnostic(file: &str, text: &str, index: &LineIndex, d: &Diagnostic) -> Value {
    let (line, column) = position(text, index, d.range.start);
    let (end_line, end_column) = position(text, index, d.range.end);
    let mut v = json!({
        "file": file,
        "code": d.code,
        "name": crate::rules::find(d.code).map(|r| r.meta.name),
        "severity": d.severity.as_str(),
        "message": d.message,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    });
    if let Some(fix) = &d.fix {
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                let (line, column) = position(text, index, e.range.start);
                let (end_line, end_column) = position(text, index, e.range.end);
                json!({
                    "line": line,
                    "column": column,
                    "end_line": end_line,
                    "end_column": end_column,
                    "content": e.new_text,
                })
            })
            .collect();
        v["fix"] = json!({
            "title": fix.title,
            "applicability": fix.applicability.as_str(),
            "edits": edits,
        });
    }
    v
}

/// A SARIF 2.1.0 log: the rules of the findings, and each finding with its place and fixes.
pub fn sarif_report(files: &[Checked], lang: Lang) -> Value {
    let all = crate::rules::ALL;
    let rules: Vec<Value> = all
        .iter()
        .map(|r| {
            let m = r.meta;
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary.get(lang) },
                "fullDescription": { "text": m.why.get(lang) },
                "helpUri": crate::rules::docs::url(m.code),
                "help": { "text": m.fix_note.get(lang) },
                "defaultConfiguration": { "level": sarif_level(m.severity) },
            })
        })
        .collect();
    let mut results = Vec::new();
    for f in files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let index = LineIndex::new(&f.text);
        let uri = f.display.replace('\\', "/");
        for d in &f.diagnostics {
            let region = |r: crate::text::TextRange| {
                let (line, column) = position(&f.text, &index, r.start);
                let (end_line, end_column) = position(&f.text, &index, r.end);
                json!({ "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column })
            };
            let mut result = json!({
                "ruleId": d.code,
                "ruleIndex": all.iter().position(|r| r.meta.code == d.code),
                "level": sarif_level(d.severity),
                "message": { "text": d.message },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri }, "region": region(d.range) } }],
            });
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| json!({ "deletedRegion": region(e.range), "insertedContent": { "text": e.new_text } }))
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": fix.title },
                    "artifactChanges": [{ "artifactLocation": { "uri": uri }, "replacements": replacements }],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "reportlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::rules::docs::DOCS_URL,
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "note",
    }
}

/// GitHub Actions workflow commands: each finding an annotation on its line.
pub fn github_report(files: &[Checked]) -> String {
    let mut out = String::new();
    for f in files.iter().filter(|f| !f.diagnostics.is_empty()) {
        let index = LineIndex::new(&f.text);
        for d in &f.diagnostics {
            let (line, col) = position(&f.text, &index, d.range.start);
            let (end_line, end_col) = position(&f.text, &index, d.range.end);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Hint => "notice",
            };
            out.push_str(&format!(
                "::{command} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
                escape_property(&f.display),
                escape_property(&format!("reportlint {}", d.code)),
                escape_data(&d.message),
            ));
        }
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
