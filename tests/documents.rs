//! Beyond one draft: last year's report beside this year's, Word documents and saved web pages,
//! through the command line. The documents are built here from the rule fixtures.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reportlint"))
        .env_remove("REPORTLINT_LANG")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/rules/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A plain-text report's lines as blocks: runs of tab-separated lines are tables.
fn blocks(report: &str) -> Vec<Result<String, Vec<Vec<String>>>> {
    let mut out: Vec<Result<String, Vec<Vec<String>>>> = Vec::new();
    for line in report.lines() {
        if line.contains('\t') {
            let row = line.split('\t').map(str::to_string).collect();
            match out.last_mut() {
                Some(Err(rows)) => rows.push(row),
                _ => out.push(Err(vec![row])),
            }
        } else if !line.trim().is_empty() {
            out.push(Ok(line.to_string()));
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Word document with the report's paragraphs and tables (empty cells stay empty cells).
fn docx(report: &str) -> Vec<u8> {
    let para = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(t)
        )
    };
    let mut body = String::new();
    for b in blocks(report) {
        match b {
            Ok(p) => body.push_str(&para(&p)),
            Err(rows) => {
                body.push_str("<w:tbl>");
                for row in rows {
                    body.push_str("<w:tr>");
                    for cell in row {
                        body.push_str(&format!("<w:tc>{}</w:tc>", para(&cell)));
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}<w:sectPr/></w:body></w:document>"
    );
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in [
        ("[Content_Types].xml", types),
        ("word/document.xml", &document),
    ] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A saved web page: the report inside a portal's navigation and footer.
fn html(report: &str) -> String {
    let mut body = String::new();
    for b in blocks(report) {
        match b {
            Ok(p) => body.push_str(&format!("<p>{}</p>\n", esc(&p))),
            Err(rows) => {
                body.push_str("<table>\n");
                for row in rows {
                    body.push_str("<tr>");
                    for cell in row {
                        body.push_str(&format!("<td>{}</td>", esc(&cell)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</table>\n");
            }
        }
    }
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>年报</title></head><body>\
         <div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/zwgk\">政务公开</a></div>\
         <div class=\"article\">{body}<p>扫一扫在手机打开当前页</p></div>\
         <div class=\"footer\">主办单位：某市某区人民政府办公室</div></body></html>"
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

#[test]
fn last_years_report_in_the_same_folder_is_found() {
    let dir = scratch("cross-year-folder");
    let this = write(
        &dir,
        "2022.txt",
        fixture("L006_carryover-mismatch/fail.txt").as_bytes(),
    );
    write(
        &dir,
        "2021.txt",
        fixture("L006_carryover-mismatch/previous/2021.txt").as_bytes(),
    );
    // Another body's report of last year in the folder is not paired.
    write(
        &dir,
        "other.txt",
        fixture("L006_carryover-mismatch/previous/2021.txt")
            .replace("某市某区人民政府", "某市某县教育局")
            .as_bytes(),
    );
    let o = run(&["check", "--format", "concise", &this]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(out.matches("error[L006]").count(), 2, "{out}");
    assert!(out.contains("2021.txt 第 73 行"), "{out}");
    assert!(!out.contains("other.txt"), "{out}");
    // The folder as a whole: the same findings, once.
    let o = run(&["check", "--format", "concise", &dir.display().to_string()]);
    assert_eq!(text(&o.stdout).matches("error[L006]").count(), 2);
    // Turned off.
    let o = run(&["check", "--no-previous", &this]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
}

#[test]
fn previous_given_explicitly() {
    let dir = scratch("cross-year-explicit");
    let this = write(
        &dir,
        "this.txt",
        fixture("L007_in-force-mismatch/fail.txt").as_bytes(),
    );
    let sub = dir.join("archive");
    std::fs::create_dir_all(&sub).unwrap();
    // Under another agency name: given explicitly, it is used anyway.
    let last = write(
        &sub,
        "last.txt",
        fixture("L007_in-force-mismatch/previous/2021.txt")
            .replace("某市某区人民政府", "某区政府")
            .as_bytes(),
    );
    let o = run(&["check", "--format", "concise", &this]);
    assert!(!text(&o.stdout).contains("L007"), "{}", text(&o.stdout));
    let o = run(&["check", "--format", "concise", "--previous", &last, &this]);
    let out = text(&o.stdout);
    assert!(out.contains("warning[L007]"), "{out}");
    assert!(out.contains("archive/last.txt"), "{out}");
    let o = run(&["check", "--previous", "no/such/file.txt", &this]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no/such/file.txt"));
}

#[test]
fn word_and_web_documents_are_checked_as_they_are() {
    let dir = scratch("documents");
    let broken = fixture("L002_column-total-mismatch/fail.txt");
    let word = write(&dir, "draft.docx", &docx(&broken));
    let o = run(&["check", "--format", "concise", &word]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("draft.docx:") && out.contains("error[L002]"),
        "{out}"
    );
    assert!(err.contains("已转换为 Markdown 后检查"), "{err}");
    // The line numbers are those of the imported Markdown.
    let imported = run(&["import", &word]);
    assert_eq!(imported.status.code(), Some(0));
    let md = text(&imported.stdout);
    let line: usize = out
        .lines()
        .find(|l| l.contains("L002"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        md.lines().nth(line - 1).unwrap().contains("（七）总计"),
        "{md}"
    );
    assert!(md.contains("| （七）总计 |"), "{md}");

    let clean = fixture("L002_column-total-mismatch/pass.txt");
    let page = write(&dir, "published.html", html(&clean).as_bytes());
    let o = run(&["check", "--format", "json", &page]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let findings: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["severity"] != "error"),
        "{findings}"
    );
    // Page chrome is dropped, and the notes say so in the user's language.
    let o = run(&["import", &page]);
    let md = text(&o.stdout);
    assert!(!md.contains("扫一扫") && !md.contains("首页"), "{md}");
    assert!(
        text(&o.stderr).contains("略去了页面上的栏目文字：「扫一扫在手机打开当前页」"),
        "{}",
        text(&o.stderr)
    );
    let o = run(&["import", "--lang", "en", &page]);
    assert!(
        text(&o.stderr).contains("Left out page chrome"),
        "{}",
        text(&o.stderr)
    );

    // A folder walk picks them up; fixes are never written into them.
    let before = std::fs::read(&word).unwrap();
    let o = run(&[
        "check",
        "--fix",
        "--unsafe-fixes",
        &dir.display().to_string(),
    ]);
    assert!(
        text(&o.stderr).contains("不修改 Word 或网页文件"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        text(&o.stdout).contains("检查了 2 个文件"),
        "{}",
        text(&o.stdout)
    );
    assert_eq!(std::fs::read(&word).unwrap(), before);
}

#[test]
fn last_years_web_page_is_found_for_a_word_draft() {
    let dir = scratch("documents-cross-year");
    let this = write(
        &dir,
        "2022.docx",
        &docx(&fixture("L006_carryover-mismatch/fail.txt")),
    );
    write(
        &dir,
        "2021.html",
        html(&fixture("L006_carryover-mismatch/previous/2021.txt")).as_bytes(),
    );
    let o = run(&["check", "--format", "concise", &this]);
    let out = text(&o.stdout);
    assert_eq!(out.matches("error[L006]").count(), 2, "{out}");
    assert!(out.contains("2021.html"), "{out}");
}

#[test]
fn import_writes_a_new_file_and_reports_bad_documents() {
    let dir = scratch("import");
    let word = write(
        &dir,
        "a.docx",
        &docx(&fixture("L002_column-total-mismatch/pass.txt")),
    );
    let out = dir.join("a.md").display().to_string();
    let o = run(&["import", &word, "-o", &out]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let md = std::fs::read_to_string(&out).unwrap();
    let check = run(&["check", &out]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}\n{md}",
        text(&check.stdout)
    );
    // Never overwrites.
    let again = run(&["import", &word, "-o", &out]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("已存在"));
    // Not a Word document: a clear message, exit 2, in either language.
    let bad = write(&dir, "bad.docx", b"this is not a zip archive");
    let o = run(&["import", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("不是 .docx 文件"),
        "{}",
        text(&o.stderr)
    );
    let o = run(&["check", "--lang", "en", &bad]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("not a .docx file"),
        "{}",
        text(&o.stderr)
    );
    let o = run(&["import", &out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("只能导入"), "{}", text(&o.stderr));
    let o = run(&["import"]);
    assert_eq!(o.status.code(), Some(2));
}
