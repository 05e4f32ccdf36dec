//! Test helpers: small `.docx` archives built in memory, and the inverse of the importer
//! (Markdown with pipe tables written back as Word or HTML with merged cells), so a report
//! can make the round trip.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::ZipWriter;

pub(crate) const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A zip archive holding these files.
pub(crate) fn zip_with(files: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in files {
        zip.start_file(*name, SimpleFileOptions::default())
            .expect("start a zip entry");
        zip.write_all(content.as_bytes())
            .expect("write a zip entry");
    }
    zip.finish().expect("finish the zip").into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

/// A minimal `.docx`: `body` is the content of `w:body`; `styles` the content of `w:styles`.
pub(crate) fn docx(body: &str, styles: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    );
    let styles = styles.map(|s| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">{s}</w:styles>"#
        )
    });
    let mut files = vec![
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", document.as_str()),
    ];
    if let Some(s) = &styles {
        files.push(("word/styles.xml", s.as_str()));
    }
    zip_with(&files)
}

/// Styles as Chinese Word names them: ids `1`–`3` for the headings and `a3` for the title.
pub(crate) const CHINESE_STYLES: &str = r#"<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/><w:basedOn w:val="a"/></w:style><w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>"#;

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A paragraph with an optional style id, its text split into runs of `run_len` characters.
pub(crate) fn para(style: Option<&str>, text: &str, run_len: usize) -> String {
    let ppr = style.map_or(String::new(), |s| {
        format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#)
    });
    let chars: Vec<char> = text.chars().collect();
    let runs: String = chars
        .chunks(run_len.max(1))
        .map(|c| {
            let t: String = c.iter().collect();
            format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(&t))
        })
        .collect();
    format!("<w:p>{ppr}{runs}</w:p>")
}

/// One cell of a table written with merges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Where a cell begins, with its text and spans.
    Origin {
        text: String,
        colspan: usize,
        rowspan: usize,
    },
    /// The first column of a cell continued from the row above.
    Below { colspan: usize },
    /// Any other covered position.
    Covered,
}

/// Reads merges back into a grid the importer would write: an empty cell right of a cell with
/// text in the same row widens it; an empty cell under a merged cell's first column (with the
/// whole width empty) lengthens it; other empty cells stay empty cells.
pub(crate) fn merges(rows: &[Vec<String>]) -> Vec<Vec<Slot>> {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut owner: Vec<Vec<Option<(usize, usize)>>> = vec![vec![None; width]; rows.len()];
    let mut slots: Vec<Vec<Slot>> = vec![vec![Slot::Covered; width]; rows.len()];
    let text = |r: usize, c: usize| rows[r].get(c).map_or("", String::as_str);
    for r in 0..rows.len() {
        let mut c = 0;
        while c < width {
            if owner[r][c].is_some() {
                c += 1;
                continue;
            }
            if !text(r, c).is_empty() {
                owner[r][c] = Some((r, c));
                slots[r][c] = Slot::Origin {
                    text: text(r, c).to_string(),
                    colspan: 1,
                    rowspan: 1,
                };
                c += 1;
                continue;
            }
            if let Some((r0, c0)) = c.checked_sub(1).and_then(|l| owner[r][l]) {
                if r0 == r {
                    if let Slot::Origin { text, colspan, .. } = &mut slots[r0][c0] {
                        if !text.is_empty() {
                            *colspan += 1;
                            owner[r][c] = Some((r0, c0));
                            c += 1;
                            continue;
                        }
                    }
                }
            }
            if let Some((r0, c0)) = r.checked_sub(1).and_then(|u| owner[u][c]) {
                if let Slot::Origin {
                    text: t,
                    colspan,
                    rowspan,
                } = &mut slots[r0][c0]
                {
                    let span = *colspan;
                    let all_empty =
                        (c..c + span).all(|x| text(r, x).is_empty() && owner[r][x].is_none());
                    if c0 == c && !t.is_empty() && all_empty {
                        *rowspan += 1;
                        for slot in owner[r].iter_mut().skip(c).take(span) {
                            *slot = Some((r0, c0));
                        }
                        slots[r][c] = Slot::Below { colspan: span };
                        c += span;
                        continue;
                    }
                }
            }
            owner[r][c] = Some((r, c));
            slots[r][c] = Slot::Origin {
                text: String::new(),
                colspan: 1,
                rowspan: 1,
            };
            c += 1;
        }
    }
    slots
}

/// Short CJK labels written one or two characters per line, as Word tables often have them.
fn vertical_parts(text: &str) -> Vec<String> {
    let n = text.chars().count();
    if (2..=4).contains(&n) && text.chars().all(super::markdown::is_cjk) {
        return text.chars().map(String::from).collect();
    }
    if let Some(close) = text.find('）') {
        let (head, tail) = text.split_at(close + '）'.len_utf8());
        if text.starts_with('（') && !tail.is_empty() && tail.chars().count() <= 4 {
            return vec![head.to_string(), tail.to_string()];
        }
    }
    vec![text.to_string()]
}

/// A Markdown document as parts: `#`/`##` headings, paragraphs and pipe tables.
enum Part {
    Title(String),
    Heading(String),
    Paragraph(String),
    Table(Vec<Vec<String>>),
}

fn parts(markdown: &str) -> Vec<Part> {
    let mut out = Vec::new();
    for block in markdown.split("\n\n") {
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        if let Some(t) = block.strip_prefix("# ") {
            out.push(Part::Title(t.to_string()));
        } else if let Some(t) = block.strip_prefix("## ") {
            out.push(Part::Heading(t.to_string()));
        } else if block.starts_with('|') {
            let rows = block
                .lines()
                .filter(|l| !l.contains("---"))
                .map(|l| {
                    let inner = l.trim().trim_start_matches('|').trim_end_matches('|');
                    inner.split(" | ").map(|c| c.trim().to_string()).collect()
                })
                .collect();
            out.push(Part::Table(rows));
        } else {
            out.push(Part::Paragraph(block.to_string()));
        }
    }
    out
}

/// The Markdown written as a Word document: Title and heading styles, paragraphs in runs of
/// a few characters, tables with `w:gridSpan` and `w:vMerge` and vertical labels.
pub(crate) fn markdown_to_docx(markdown: &str) -> Vec<u8> {
    let mut body = String::new();
    for part in parts(markdown) {
        match part {
            Part::Title(t) => body.push_str(&para(Some("a3"), &t, 9)),
            Part::Heading(t) => body.push_str(&para(Some("1"), &t, 3)),
            Part::Paragraph(t) => body.push_str(&para(None, &t, 7)),
            Part::Table(rows) => {
                body.push_str("<w:tbl><w:tblPr/><w:tblGrid/>");
                for row in merges(&rows) {
                    body.push_str("<w:tr>");
                    for slot in row {
                        match slot {
                            Slot::Origin {
                                text,
                                colspan,
                                rowspan,
                            } => {
                                body.push_str("<w:tc><w:tcPr>");
                                if colspan > 1 {
                                    body.push_str(&format!(r#"<w:gridSpan w:val="{colspan}"/>"#));
                                }
                                if rowspan > 1 {
                                    body.push_str(r#"<w:vMerge w:val="restart"/>"#);
                                }
                                body.push_str("</w:tcPr>");
                                for p in vertical_parts(&text) {
                                    body.push_str(&para(None, &p, 5));
                                }
                                body.push_str("</w:tc>");
                            }
                            Slot::Below { colspan } => {
                                body.push_str("<w:tc><w:tcPr>");
                                if colspan > 1 {
                                    body.push_str(&format!(r#"<w:gridSpan w:val="{colspan}"/>"#));
                                }
                                body.push_str("<w:vMerge/></w:tcPr><w:p/></w:tc>");
                            }
                            Slot::Covered => {}
                        }
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    docx(&body, Some(CHINESE_STYLES))
}

/// The Markdown as the content of a web page: `h1`, `h2`, `p` and tables with `rowspan` and
/// `colspan`, vertical labels broken with `<br>`.
pub(crate) fn markdown_to_html(markdown: &str) -> String {
    let mut out = String::new();
    for part in parts(markdown) {
        match part {
            Part::Title(t) => out.push_str(&format!("<h1>{}</h1>\n", esc(&t))),
            Part::Heading(t) => out.push_str(&format!("<h2>{}</h2>\n", esc(&t))),
            Part::Paragraph(t) => out.push_str(&format!(
                "<p style=\"text-indent:2em\">&nbsp;&nbsp;<span>{}</span></p>\n",
                esc(&t)
            )),
            Part::Table(rows) => {
                out.push_str("<table border=\"1\"><tbody>\n");
                for row in merges(&rows) {
                    out.push_str("<tr>");
                    for slot in row {
                        if let Slot::Origin {
                            text,
                            colspan,
                            rowspan,
                        } = slot
                        {
                            out.push_str("<td");
                            if colspan > 1 {
                                out.push_str(&format!(" colspan=\"{colspan}\""));
                            }
                            if rowspan > 1 {
                                out.push_str(&format!(" rowspan=\"{rowspan}\""));
                            }
                            let content: Vec<String> =
                                vertical_parts(&text).iter().map(|p| esc(p)).collect();
                            match content.join("<br>\n").as_str() {
                                "" => out.push_str(">&nbsp;</td>"),
                                c => out.push_str(&format!("><p>{c}</p></td>")),
                            }
                        }
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody></table>\n");
            }
        }
    }
    out
}

/// The English notes, one per line, for assertions.
pub(crate) fn english(notes: &[super::Note]) -> String {
    notes
        .iter()
        .map(|n| n.en.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn merges_read_spans_back() {
        let slots = merges(&grid(&[&["a", "", "b"], &["", "", "c"], &["d", "", ""]]));
        assert_eq!(
            slots[0][0],
            Slot::Origin {
                text: "a".into(),
                colspan: 2,
                rowspan: 2
            }
        );
        assert_eq!(slots[1][0], Slot::Below { colspan: 2 });
        assert_eq!(
            slots[2][0],
            Slot::Origin {
                text: "d".into(),
                colspan: 3,
                rowspan: 1
            }
        );
    }
}
