//! Project invariants, checked with the tests: the core knows nothing of LSP or printing,
//! every rule has fixtures, and the README's rule table matches the registry.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn only_the_server_knows_lsp_and_async() {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    for f in files {
        let name = rel(&f);
        if name.starts_with("src/lsp/") {
            continue;
        }
        let text = fs::read_to_string(&f).unwrap();
        for banned in ["tower_lsp", "lsp_types", "tokio"] {
            assert!(
                !text.contains(banned),
                "{name} uses {banned}: only src/lsp may"
            );
        }
    }
}

#[test]
fn only_the_cli_output_module_prints() {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    for f in files {
        let name = rel(&f);
        if name == "src/cli/output.rs" {
            continue;
        }
        let text = fs::read_to_string(&f).unwrap();
        // Tests may print what they compare.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for banned in ["println!", "eprintln!", "print!(", "eprint!(", "dbg!("] {
            assert!(
                !code.contains(banned),
                "{name} uses {banned}: only src/cli/output.rs prints"
            );
        }
    }
}

#[test]
fn every_rule_has_its_own_file_and_fixtures() {
    let rules_dir = root().join("src/rules");
    for rule in reportlint::rules::ALL {
        let m = rule.meta;
        let prefix = m.code.to_ascii_lowercase();
        let file = fs::read_dir(&rules_dir)
            .unwrap()
            .filter_map(Result::ok)
            .find(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{prefix}_"))
            });
        assert!(file.is_some(), "no src/rules/{prefix}_*.rs for {}", m.code);
        let fixtures = root().join(format!("tests/fixtures/rules/{}_{}", m.code, m.name));
        assert!(
            fixtures.is_dir(),
            "no fixtures directory {}",
            fixtures.display()
        );
        let names: Vec<String> = fs::read_dir(&fixtures)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fail")),
            "{}: no failing fixture",
            m.code
        );
        assert!(
            names.iter().any(|n| n.starts_with("pass")),
            "{}: no passing fixture",
            m.code
        );
    }
}

#[test]
fn rule_codes_and_names_are_unique() {
    let all = reportlint::rules::ALL;
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a.meta.code, b.meta.code);
            assert_ne!(a.meta.name, b.meta.name);
        }
    }
}

#[test]
fn readme_rule_table_matches_the_registry() {
    let path = root().join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let a = readme.find(start).expect("README has a rules:start marker") + start.len();
    let b = readme.find(end).expect("README has a rules:end marker");
    let want = reportlint::rules::docs::markdown_table();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{want}{}", &readme[..a], &readme[b..]);
        fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[a..b],
        want,
        "the README's rule table is out of date: run `UPDATE_README=1 cargo test --test tidy`"
    );
}

#[test]
fn the_rule_docs_page_matches_the_registry() {
    let path = root().join("docs/rules.md");
    let want = reportlint::rules::docs::rules_page();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::write(&path, &want).unwrap();
        return;
    }
    let have = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is out of date: run `UPDATE_DOCS=1 cargo test --test tidy`"
    );
}
