//! `check --format sarif` validates against the SARIF 2.1.0 schema; `--format github` writes
//! workflow commands.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap()
}

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let text = std::fs::read_to_string(fixture("sarif/sarif-2.1.0-rtm.5.json")).unwrap();
    // The official schema's pattern for `run.language` ends in a stray `]` that ECMAScript
    // regexes read as a literal and Rust's reject; only that one pattern is repaired here.
    let text = text.replace(
        r#"^[a-zA-Z]{2}-[a-zA-Z]{2}]?$"#,
        r#"^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$"#,
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the schema compiles");
    // Findings with and without fixes, several files, CJK text.
    let out = run(&[
        "check",
        "--format",
        "sarif",
        &fixture("seeds/000_27b6cab774d2b1c9.txt"),
        &fixture("seeds/004_6e005d299800cb62.txt"),
        &fixture("rules/S004_section-missing/fail.txt"),
    ]);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let p003 = results.iter().find(|r| r["ruleId"] == "P003").unwrap();
    assert_eq!(p003["level"], "error");
    assert_eq!(
        p003["locations"][0]["physicalLocation"]["region"]["startLine"],
        9
    );
    assert_eq!(
        p003["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "8.8"
    );
    let rule_index = p003["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][rule_index]["id"],
        "P003"
    );
    // The check can fail: a level SARIF does not know is rejected.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&broken));
    // An empty run is valid too.
    let out = run(&[
        "check",
        "--format",
        "sarif",
        &fixture("rules/S001_title-missing/pass.txt"),
    ]);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(validator.is_valid(&log));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn github_annotations() {
    let out = run(&[
        "check",
        "--format",
        "github",
        &fixture("seeds/000_27b6cab774d2b1c9.txt"),
    ]);
    let p003 = out.lines().find(|l| l.contains("reportlint P003")).unwrap();
    assert!(p003.starts_with("::error file="), "{p003}");
    assert!(p003.contains(",line=9,col="), "{p003}");
    assert!(p003.contains("::5件占57件的 8.8%"), "{p003}");
    assert!(out.lines().any(|l| l.starts_with("::warning ")), "{out}");
}
