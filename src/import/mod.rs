//! Importing Word (.docx) and web (.html) documents as Markdown reports.
//!
//! Both readers turn a document into paragraphs and resolved table grids ([`markdown`]),
//! which are written as the Markdown reportlint's parser reads best: a `#` title, `##`
//! section headings, plain paragraphs and pipe tables whose merged cells are empty cells.
//! Everything here is pure: bytes or text in, Markdown and notes out, with no file access.

/// A [`Note`] from two format strings that capture the same variables.
macro_rules! note {
    ($zh:literal, $en:literal $(,)?) => {
        $crate::import::Note {
            zh: format!($zh),
            en: format!($en),
        }
    };
}

mod docx;
mod docx_styles;
mod html;
mod markdown;
#[cfg(test)]
mod test_support;

use std::fmt;

/// An imported document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub markdown: String,
    /// What was left out or guessed, one sentence each.
    pub notes: Vec<Note>,
}

/// A sentence about an import, in Chinese and English.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub zh: String,
    pub en: String,
}

impl Note {
    pub fn get(&self, lang: crate::lang::Lang) -> &str {
        match lang {
            crate::lang::Lang::Zh => &self.zh,
            crate::lang::Lang::En => &self.en,
        }
    }
}

/// Why a `.docx` file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// The bytes are not a zip archive, so not a `.docx` file.
    NotZip(String),
    /// A Word 97–2003 `.doc` file, or a password-protected document.
    LegacyWord,
    /// The archive has no main document part (`word/document.xml`).
    MissingDocument,
    /// A part of the archive could not be unpacked.
    Corrupt { part: String, message: String },
    /// A part unpacks to more than `limit` bytes.
    TooLarge { part: String, limit: u64 },
    /// The main document part is not well-formed XML.
    Xml { part: String, message: String },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NotZip(e) => write!(f, "not a .docx file (not a zip archive: {e})"),
            ImportError::LegacyWord => write!(
                f,
                "an old Word .doc file or a password-protected document; save it as .docx first"
            ),
            ImportError::MissingDocument => {
                write!(
                    f,
                    "not a Word document (the archive has no word/document.xml)"
                )
            }
            ImportError::Corrupt { part, message } => {
                write!(f, "cannot unpack {part}: {message}")
            }
            ImportError::TooLarge { part, limit } => {
                write!(f, "{part} is larger than {} MiB", limit >> 20)
            }
            ImportError::Xml { part, message } => write!(f, "malformed XML in {part}: {message}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The kinds of document that can be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Docx,
    Html,
}

/// The kind of document a path names, by its extension: `.docx`, `.html` or `.htm`.
pub fn import_path_kind(path: &str) -> Option<Kind> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "docx" => Some(Kind::Docx),
        "html" | "htm" => Some(Kind::Html),
        _ => None,
    }
}

/// Reads a Word `.docx` file as a Markdown report.
pub fn import_docx(bytes: &[u8]) -> Result<Imported, ImportError> {
    let (blocks, mut notes) = docx::read(bytes)?;
    let markdown = markdown::render(&blocks, &mut notes);
    Ok(Imported { markdown, notes })
}

/// Reads a saved web page as a Markdown report.
pub fn import_html(html: &str) -> Imported {
    let (blocks, mut notes) = html::read(html);
    let markdown = markdown::render(&blocks, &mut notes);
    Imported { markdown, notes }
}

/// Decodes the bytes of a saved web page: by its byte order mark, else the charset its
/// `<meta>` declares (many government pages are GB2312 or GBK), else UTF-8, else GB18030.
pub fn decode_html(bytes: &[u8]) -> String {
    use encoding_rs::{Encoding, GB18030, UTF_8};
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let declared = meta_charset(&bytes[..bytes.len().min(4096)])
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        .map(|e| {
            if e.name().starts_with("UTF-16") {
                UTF_8
            } else {
                e
            }
        });
    if let Some(encoding) = declared {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// The label after the first `charset=` in the page's head.
fn meta_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let at = lower.windows(7).position(|w| w == b"charset")?;
    let rest = &lower[at + 7..];
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b"=")?
        .trim_ascii_start();
    let rest = rest
        .strip_prefix(b"\"")
        .or(rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let label: String = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        .map(|&b| b as char)
        .collect();
    (!label.is_empty()).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::test_support::{markdown_to_docx, markdown_to_html};
    use super::*;
    use crate::diagnostic::Severity;
    use crate::document::Flavour;
    use crate::profile;
    use crate::template::Skeleton;

    fn skeleton() -> String {
        let p = profile::builtin("f2021").unwrap();
        let sk = Skeleton {
            profile: &p,
            flavour: Flavour::Markdown,
            newline: "\n",
            heading_level: None,
        };
        sk.report(Some(2022), Some("某区人民政府"))
    }

    /// The imported Markdown reads as a whole report: no errors, three tables, all rows full.
    fn assert_reads_cleanly(markdown: &str) {
        let analysis = crate::analyze(
            markdown,
            &crate::Options {
                flavour: Flavour::Markdown,
                ..Default::default()
            },
        );
        let errors: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{markdown}");
        let report = &analysis.document.reports[0];
        assert!(report.title.is_some());
        assert_eq!(report.sections.len(), 6);
        assert_eq!(report.tables.len(), 3);
        for table in &report.tables {
            assert!(!table.rows.is_empty());
            for row in &table.rows {
                assert_eq!(row.found, row.cells.len(), "{row:?}");
            }
        }
    }

    #[test]
    fn skeleton_round_trips_through_word() {
        let skeleton = skeleton();
        let imported = import_docx(&markdown_to_docx(&skeleton)).unwrap();
        assert_eq!(imported.markdown.trim_end(), skeleton.trim_end());
        assert!(imported.notes.is_empty(), "{:?}", imported.notes);
        assert_reads_cleanly(&imported.markdown);
    }

    #[test]
    fn skeleton_round_trips_through_a_web_page() {
        let skeleton = skeleton();
        let page = format!(
            "<html><head><title>年度报告</title><script>document.write('一、总体情况')</script></head><body>\
             <nav><a href=\"/\">首页</a></nav><div class=\"main\"><div class=\"article\">\
             <div class=\"TRS_Editor\">{}</div><p>扫一扫在手机打开当前页</p></div></div>\
             <footer>版权所有</footer></body></html>",
            markdown_to_html(&skeleton)
        );
        let imported = import_html(&page);
        assert_eq!(imported.markdown.trim_end(), skeleton.trim_end());
        assert_reads_cleanly(&imported.markdown);
    }

    #[test]
    fn kinds_by_extension() {
        assert_eq!(import_path_kind("a/b/Report.DOCX"), Some(Kind::Docx));
        assert_eq!(import_path_kind("page.htm"), Some(Kind::Html));
        assert_eq!(import_path_kind("page.Html"), Some(Kind::Html));
        assert_eq!(import_path_kind("report.md"), None);
        assert_eq!(import_path_kind("docx"), None);
    }

    #[test]
    fn html_bytes_are_decoded_by_their_meta_charset() {
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>年度报告</body></html>",
        );
        assert!(decode_html(&gbk).contains("年度报告"));
        assert!(decode_html("<p>年度报告</p>".as_bytes()).contains("年度报告"));
        let (gbk_plain, _, _) = encoding_rs::GBK.encode("<p>年度报告</p>");
        assert!(decode_html(&gbk_plain).contains("年度报告"));
    }
}
