//! The command line as users run it: exit codes, output formats, stdin, directories.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reportlint"));
    c.env_remove("REPORTLINT_LANG");
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn fixture(rel: &str) -> String {
    format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A fresh directory under the target directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const CLEAN: &str = "rules/S001_title-missing/pass.txt";

#[test]
fn exit_codes() {
    let clean = run(&["check", &fixture(CLEAN)]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("未发现问题"));
    let errors = run(&["check", &fixture("seeds/000_27b6cab774d2b1c9.txt")]);
    assert_eq!(errors.status.code(), Some(1));
    // Warnings alone do not fail a check.
    let warnings = run(&[
        "check",
        &fixture("rules/S007_section-title-noncanonical/fail.txt"),
    ]);
    assert_eq!(warnings.status.code(), Some(0), "{}", stdout(&warnings));
    assert!(stdout(&warnings).contains("warning[S007]"));
}

#[test]
fn a_missing_path_is_an_io_error_but_the_rest_is_checked() {
    let o = run(&[
        "check",
        "does/not/exist.md",
        &fixture("seeds/000_27b6cab774d2b1c9.txt"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does/not/exist.md"), "{}", stderr(&o));
    assert!(stdout(&o).contains("error[P003]"), "{}", stdout(&o));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["check", "--format", "xml"][..],
        &["frobnicate"],
        &["check", "--profile"],
        &["rule", "X999"],
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
}

#[test]
fn text_output_has_a_code_frame_aligned_under_cjk() {
    let o = run(&["check", &fixture("seeds/000_27b6cab774d2b1c9.txt")]);
    let out = stdout(&o);
    let head = out.lines().position(|l| l.contains("error[P003]")).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[head].ends_with("5件占57件的 8.8%（5÷57），文中写作 9.8%"),
        "{}",
        lines[head]
    );
    let source = lines[head + 2];
    let carets = lines[head + 3];
    let col = carets.find('^').unwrap();
    // The caret sits under "9.8" once wide characters count as two columns.
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let prefix_width = width(&carets[..col]);
    let mut w = 0;
    let under = source.chars().find(|c| {
        let here = w == prefix_width;
        w += width(&c.to_string());
        here
    });
    assert_eq!(under, Some('9'), "\n{source}\n{carets}");
}

#[test]
fn json_output() {
    let o = run(&[
        "check",
        "--format",
        "json",
        &fixture("seeds/000_27b6cab774d2b1c9.txt"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let items = v.as_array().unwrap();
    let p003 = items.iter().find(|d| d["code"] == "P003").unwrap();
    for key in [
        "file",
        "code",
        "name",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
    ] {
        assert!(p003.get(key).is_some(), "missing {key}: {p003}");
    }
    assert_eq!(p003["severity"], "error");
    assert_eq!(p003["line"], 9);
    // Columns count characters, 1-based.
    let text = std::fs::read_to_string(fixture("seeds/000_27b6cab774d2b1c9.txt")).unwrap();
    let line = text.lines().nth(8).unwrap();
    let col = line[..line.find("9.8%").unwrap()].chars().count() + 1;
    assert_eq!(p003["column"], col);
    assert_eq!(p003["end_column"], col + 3);
    assert_eq!(p003["fix"]["applicability"], "safe");
    assert_eq!(p003["fix"]["edits"][0]["content"], "8.8");
    // Nothing but the JSON on stdout.
    assert!(stdout(&o).trim_end().ends_with(']'));
}

#[test]
fn stdin_with_a_file_name() {
    let text = std::fs::read_to_string(fixture("seeds/004_6e005d299800cb62.txt")).unwrap();
    let o = run_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "草稿.md",
            "--format",
            "concise",
        ],
        &text,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("草稿.md:"), "{}", stdout(&o));
    let o = run_stdin(&["check", "-"], "");
    assert!(stdout(&o).contains("<stdin>"), "{}", stdout(&o));
}

#[test]
fn directories_are_walked_for_markdown_and_text() {
    let dir = scratch("walk");
    let clean = std::fs::read_to_string(fixture(CLEAN)).unwrap();
    std::fs::create_dir_all(dir.join("部门/子目录")).unwrap();
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("a.md"), &clean).unwrap();
    std::fs::write(dir.join("部门/b.txt"), &clean).unwrap();
    std::fs::write(dir.join("部门/子目录/c.MARKDOWN"), &clean).unwrap();
    std::fs::write(dir.join("部门/notes.docx.bak"), "x").unwrap();
    std::fs::write(dir.join(".git/d.md"), "x").unwrap();
    let o = run(&["check", "--format", "concise", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("检查了 3 个文件"), "{}", stdout(&o));
}

#[test]
fn bom_crlf_and_gbk_files() {
    let dir = scratch("encodings");
    let clean = std::fs::read_to_string(fixture(CLEAN)).unwrap();
    let crlf = format!("\u{feff}{}", clean.replace('\n', "\r\n"));
    std::fs::write(dir.join("bom_crlf.txt"), crlf).unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(&clean);
    std::fs::write(dir.join("gbk.txt"), gbk.as_ref()).unwrap();
    let o = run(&[
        "check",
        dir.join("bom_crlf.txt").to_str().unwrap(),
        dir.join("gbk.txt").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("GB18030"), "{}", stderr(&o));
    std::fs::write(dir.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let o = run(&["check", dir.join("image.txt").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("image.txt") && stderr(&o).contains("不是文本文件"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn rule_list_and_docs() {
    let o = run(&["rule"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).lines().count(), reportlint::rules::ALL.len());
    let o = run(&["rule", "l001"]);
    assert!(
        stdout(&o).starts_with("L001 row-total-mismatch"),
        "{}",
        stdout(&o)
    );
    let o = run(&["rule", "row-total-mismatch", "--lang", "en"]);
    assert!(stdout(&o).contains("Why it matters"), "{}", stdout(&o));
}

#[test]
fn init_prints_a_skeleton_that_checks_clean() {
    for format in ["md", "txt"] {
        let o = run(&[
            "init",
            "--year",
            "2023",
            "--agency",
            "某县人民政府",
            "--format",
            format,
        ]);
        assert_eq!(o.status.code(), Some(0));
        let skeleton = stdout(&o);
        assert!(skeleton.contains("某县人民政府2023年政府信息公开工作年度报告"));
        let name = format!("skeleton.{format}");
        let check = run_stdin(
            &["check", "-", "--stdin-filename", &name, "--format", "json"],
            &skeleton,
        );
        assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
        assert_eq!(stdout(&check).trim(), "[]", "{format}: {}", stdout(&check));
    }
    let o = run(&["init", "--year", "2020", "--format", "txt"]);
    assert!(
        stdout(&o).contains("其他对外管理服务事项"),
        "a 2020 skeleton uses the 2019 format"
    );
    let dir = scratch("init");
    let out = dir.join("new.md");
    assert_eq!(
        run(&["init", "-o", out.to_str().unwrap()]).status.code(),
        Some(0)
    );
    let again = run(&["init", "-o", out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2), "refuses to overwrite");
}

#[test]
fn profiles_can_be_forced_or_loaded_from_json() {
    // A 2020 report checked against the 2021 format: its 2019-format tables are wrong there.
    let f2019 = fixture("rules/L005_negative-project-count/pass.txt");
    let o = run(&["check", "--format", "concise", "--profile", "f2021", &f2019]);
    assert!(stdout(&o).contains("[T008]"), "{}", stdout(&o));
    let dir = scratch("profiles");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"id\": \"x\",\n  \"name\": }").unwrap();
    let o = run(&["check", "--profile", bad.to_str().unwrap(), &f2019]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.json:2:"), "{}", stderr(&o));
    let own = dir.join("own.json");
    std::fs::copy(
        format!("{}/src/profile/f2019.json", env!("CARGO_MANIFEST_DIR")),
        &own,
    )
    .unwrap();
    let o = run(&["check", "--profile", own.to_str().unwrap(), &f2019]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn english_messages() {
    let o = run(&[
        "check",
        "--lang",
        "en",
        &fixture("seeds/000_27b6cab774d2b1c9.txt"),
    ]);
    assert!(stdout(&o).contains("5 of 57 is 8.8%"), "{}", stdout(&o));
    assert!(stdout(&o).contains("error(s)"));
    let o = bin()
        .env("REPORTLINT_LANG", "en")
        .args(["rule", "P003"])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("What it checks"));
}

#[test]
fn server_accepts_stdio_flag() {
    let o = run_stdin(&["server", "--stdio"], "");
    // End of input before `exit`: the session ends without a clean shutdown.
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

const SEED000: &str = "seeds/000_27b6cab774d2b1c9.txt";

#[test]
fn a_configuration_file_is_found_above_each_file() {
    let dir = scratch("config");
    std::fs::create_dir_all(dir.join("部门/old")).unwrap();
    let seed = std::fs::read_to_string(fixture(SEED000)).unwrap();
    std::fs::write(dir.join("部门/报告.txt"), &seed).unwrap();
    std::fs::write(dir.join("部门/old/旧报告.txt"), &seed).unwrap();
    std::fs::write(
        dir.join("reportlint.toml"),
        "lang = \"en\"\nexclude = [\"old/**\", \"部门/old\"]\n\n[rules]\nP003 = \"off\"\nS007 = \"error\"\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "concise", dir.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(!out.contains("[P003]"), "{out}");
    assert!(out.contains("error[S007]"), "{out}");
    assert!(
        out.contains("Checked 1 file(s)"),
        "excluded directories are skipped: {out}"
    );
    assert_eq!(o.status.code(), Some(1));
    // --no-config ignores it; --config names one.
    let o = run(&[
        "check",
        "--no-config",
        "--format",
        "concise",
        dir.join("部门/报告.txt").to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("error[P003]"), "{}", stdout(&o));
    // A broken file stops the check with its line and column.
    std::fs::write(dir.join("reportlint.toml"), "[rules]\nP003 = \"loud\"\n").unwrap();
    let o = run(&["check", dir.join("部门/报告.txt").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("reportlint.toml:2:8"), "{}", stderr(&o));
    std::fs::write(dir.join("reportlint.toml"), "colour = 1\n").unwrap();
    let o = run(&["check", dir.join("部门/报告.txt").to_str().unwrap()]);
    assert!(
        stderr(&o).contains("colour"),
        "unknown keys are reported: {}",
        stderr(&o)
    );
}

#[test]
fn fix_writes_safe_fixes_and_keeps_every_other_byte() {
    let dir = scratch("fix");
    let seed = std::fs::read_to_string(fixture(SEED000)).unwrap();
    let path = dir.join("报告.txt");
    std::fs::write(&path, &seed).unwrap();
    let o = run(&["check", "--fix", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("已修复 2 处"), "{}", stderr(&o));
    let fixed = std::fs::read_to_string(&path).unwrap();
    let want = seed
        .replace("其他处理，5件，占9.8%", "其他处理，5件，占8.8%")
        .replace(
            "五、当前存在的主要问题及下步改进措施",
            "五、存在的主要问题及改进情况",
        );
    assert_eq!(fixed, want);
    // Nothing left to fix: a second run changes nothing.
    let o = run(&["check", "--fix", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), want);
}

#[test]
fn fix_keeps_bom_crlf_and_gbk() {
    let dir = scratch("fix-encodings");
    let seed = std::fs::read_to_string(fixture(SEED000)).unwrap();
    let crlf = dir.join("crlf.txt");
    std::fs::write(&crlf, format!("\u{feff}{}", seed.replace('\n', "\r\n"))).unwrap();
    let gbk = dir.join("gbk.txt");
    std::fs::write(&gbk, encoding_rs::GB18030.encode(&seed).0.as_ref()).unwrap();
    let o = run(&[
        "check",
        "--fix",
        crlf.to_str().unwrap(),
        gbk.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let bytes = std::fs::read(&crlf).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ending stays CRLF"
    );
    assert!(text.contains("占8.8%"));
    let gbk_bytes = std::fs::read(&gbk).unwrap();
    let (decoded, _, bad) = encoding_rs::GB18030.decode(&gbk_bytes);
    assert!(!bad && decoded.contains("占8.8%"));
}

#[test]
fn diff_shows_fixes_without_writing() {
    let dir = scratch("diff");
    let seed = std::fs::read_to_string(fixture(SEED000)).unwrap();
    let path = dir.join("r.txt");
    std::fs::write(&path, &seed).unwrap();
    let o = run(&["check", "--diff", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "a diff to apply fails the check");
    let out = stdout(&o);
    assert!(
        out.contains("-五、当前存在的主要问题及下步改进措施\n+五、存在的主要问题及改进情况\n"),
        "{out}"
    );
    assert!(out.starts_with("--- a/"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        seed,
        "--diff writes nothing"
    );
}

#[test]
fn unsafe_fixes_and_stdin() {
    let text = std::fs::read_to_string(fixture("rules/L001_row-total-mismatch/fail.txt")).unwrap();
    let o = run_stdin(&["check", "--fix", "-"], &text);
    assert_eq!(
        stdout(&o),
        text,
        "the total is an unsafe fix: --fix leaves it"
    );
    assert_eq!(o.status.code(), Some(1));
    let o = run_stdin(&["check", "--fix", "--unsafe-fixes", "-"], &text);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_ne!(stdout(&o), text);
    assert!(
        stderr(&o).contains("未发现问题"),
        "the report goes to stderr: {}",
        stderr(&o)
    );
}
