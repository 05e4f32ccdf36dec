//! Snapshot tests over fixture files: every rule's failing and passing drafts, the five real
//! reports, and the corpus of real-world shapes.

use std::path::Path;
use std::sync::Arc;

use reportlint::diagnostic::Severity;
use reportlint::document::{dump::dump, Flavour};
use reportlint::lang::Lang;
use reportlint::line_index::LineIndex;
use reportlint::render::Renderer;
use reportlint::{analyze, Analysis, Options, Previous};

fn check(path: &Path) -> (String, Analysis) {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let opts = Options {
        flavour: Flavour::from_path(&path.to_string_lossy()),
        // Fixed so that skeleton fixes do not change with the clock.
        default_year: Some(2022),
        previous: previous_reports(path),
        ..Options::default()
    };
    let analysis = analyze(&text, &opts);
    (text, analysis)
}

/// The reports in a `previous/` folder beside a fixture: other years' reports, paired with the
/// fixture's by agency and year as in a real folder.
fn previous_reports(path: &Path) -> Vec<Arc<Previous>> {
    let Ok(dir) = std::fs::read_dir(path.parent().unwrap().join("previous")) else {
        return Vec::new();
    };
    let mut files: Vec<_> = dir.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = format!("previous/{}", p.file_name().unwrap().to_string_lossy());
            let flavour = Flavour::from_path(&name);
            Arc::new(Previous::parse(name, text, flavour, false))
        })
        .collect()
}

fn name(path: &Path) -> String {
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .unwrap()
        .to_string_lossy();
    format!("{parent}/{}", path.file_name().unwrap().to_string_lossy())
}

/// Each finding with its code frame, and the lines each fix changes.
fn render(path: &Path, text: &str, analysis: &Analysis, only: Option<&str>) -> String {
    let index = LineIndex::new(text);
    let shown = name(path);
    let r = Renderer {
        path: &shown,
        text,
        index: &index,
        lang: Lang::Zh,
    };
    let mut out = String::new();
    for d in analysis
        .diagnostics
        .iter()
        .filter(|d| only.is_none_or(|c| d.code == c))
    {
        out.push_str(&r.render(d));
        if let Some(fix) = &d.fix {
            for line in r.fix_diff(fix).lines() {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

#[test]
fn rules() {
    insta::glob!("fixtures/rules/*/*.{md,txt}", |path| {
        let code = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()[..4]
            .to_string();
        let (text, analysis) = check(path);
        let hits = analysis
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .count();
        let failing = path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .starts_with("fail");
        if failing {
            assert!(hits > 0, "{} does not trigger {code}", path.display());
        } else {
            assert_eq!(hits, 0, "{} triggers {code}", path.display());
            let errors: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(
                errors.is_empty(),
                "passing fixture {} has errors: {errors:?}",
                path.display()
            );
        }
        insta::assert_snapshot!(render(path, &text, &analysis, Some(&code)));
    });
}

#[test]
fn seeds() {
    insta::glob!("fixtures/seeds/*.txt", |path| {
        let (text, analysis) = check(path);
        let out = format!(
            "{}\n{}",
            render(path, &text, &analysis, None),
            dump(&text, &analysis.document)
        );
        insta::assert_snapshot!(out);
    });
}

#[test]
fn corpus() {
    insta::glob!("fixtures/corpus/*.{md,txt}", |path| {
        let (text, analysis) = check(path);
        let broken = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("broken_");
        if !broken {
            let errors: Vec<String> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            assert!(
                errors.is_empty(),
                "clean corpus file {} has errors: {errors:#?}",
                path.display()
            );
            // Every table of the format is there, with every row complete.
            for report in &analysis.document.reports {
                assert_eq!(report.tables.len(), 3, "{}: tables", path.display());
                for t in &report.tables {
                    let spec = &report.profile.tables[t.spec];
                    for (i, row) in spec.rows.iter().enumerate() {
                        let read = t.row(i);
                        assert!(
                            read.is_some_and(|r| r.found == r.cells.len()),
                            "{}: row {} of {}",
                            path.display(),
                            row.id,
                            spec.id
                        );
                    }
                }
            }
        }
        let index = LineIndex::new(&text);
        let shown = name(path);
        let r = Renderer {
            path: &shown,
            text: &text,
            index: &index,
            lang: Lang::Zh,
        };
        let mut out: String = analysis
            .diagnostics
            .iter()
            .map(|d| r.headline(d) + "\n")
            .collect();
        out.push('\n');
        out.push_str(&dump(&text, &analysis.document));
        insta::assert_snapshot!(out);
    });
}
