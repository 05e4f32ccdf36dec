//! Reading Word `.docx` files: the zip container, the main document part and its styles and
//! list numbering, into paragraphs and resolved table grids.
//!
//! Only the main document part is read, so headers, footers, comments and footnotes are left
//! out by construction. Inside it, deleted text, field instructions, hidden text, drawings and
//! text boxes are skipped; inserted text is kept.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::result::ZipError;
use zip::ZipArchive;

use super::docx_styles::{attr, is_on, Numbering, StyleKind, Styles};
use super::markdown::{join_fragments, Block, GridCell, Hint};
use super::{ImportError, Note};

/// The largest part (uncompressed) this reader accepts, against zip bombs.
const MAX_PART_BYTES: u64 = 64 << 20;

/// The signature of an OLE compound file: a Word 97–2003 `.doc`, or an encrypted `.docx`.
const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Reads the blocks of a `.docx` file, and notes on what was left out or guessed.
pub(super) fn read(bytes: &[u8]) -> Result<(Vec<Block>, Vec<Note>), ImportError> {
    if bytes.starts_with(&OLE_SIGNATURE) {
        return Err(ImportError::LegacyWord);
    }
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| ImportError::NotZip(e.to_string()))?;
    let main = main_part_name(&mut archive);
    let xml = read_part(&mut archive, &main)?.ok_or(ImportError::MissingDocument)?;
    let dir = main.rfind('/').map_or("", |i| &main[..=i]).to_string();
    let mut notes = Vec::new();
    // Styles and list definitions only refine the reading, so a broken one is a note.
    let styles = match read_part(&mut archive, &format!("{dir}styles.xml")) {
        Ok(Some(text)) => Styles::parse(&text).map_err(|e| format!("malformed XML: {e}")),
        Ok(None) => Ok(Styles::default()),
        Err(e) => Err(e.to_string()),
    }
    .unwrap_or_else(|e| {
        notes.push(note!(
            "无法读取样式（{e}），只按编号识别标题。",
            "Could not read the styles ({e}); headings were found by their numbering only."
        ));
        Styles::default()
    });
    let mut numbering = match read_part(&mut archive, &format!("{dir}numbering.xml")) {
        Ok(Some(text)) => Numbering::parse(&text).map_err(|e| format!("malformed XML: {e}")),
        Ok(None) => Ok(Numbering::default()),
        Err(e) => Err(e.to_string()),
    }
    .unwrap_or_else(|e| {
        notes.push(note!(
            "无法读取列表定义（{e}），缺少自动编号。",
            "Could not read the list definitions ({e}); automatic list numbers are missing."
        ));
        Numbering::default()
    });
    let mut doc = DocReader::new(&styles, &mut numbering);
    doc.read(&xml).map_err(|message| ImportError::Xml {
        part: main.clone(),
        message,
    })?;
    notes.extend(doc.notes());
    Ok((doc.blocks, notes))
}

/// The main document part named by `_rels/.rels`, else `word/document.xml`.
fn main_part_name(archive: &mut Archive) -> String {
    const DEFAULT: &str = "word/document.xml";
    let Ok(Some(rels)) = read_part(archive, "_rels/.rels") else {
        return DEFAULT.to_string();
    };
    let mut reader = Reader::from_str(&rels);
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let is_main = attr(&e, b"Type").is_some_and(|t| t.ends_with("/officeDocument"));
                if let Some(target) = attr(&e, b"Target").filter(|_| is_main) {
                    let target = target.trim_start_matches('/').to_string();
                    if archive.index_for_name(&target).is_some() {
                        return target;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    DEFAULT.to_string()
}

/// A part's text, or `None` when the archive has no such part.
fn read_part(archive: &mut Archive, name: &str) -> Result<Option<String>, ImportError> {
    let corrupt = |e: &dyn std::fmt::Display| ImportError::Corrupt {
        part: name.to_string(),
        message: e.to_string(),
    };
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(&e)),
    };
    let mut buf = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| corrupt(&e))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(ImportError::TooLarge {
            part: name.to_string(),
            limit: MAX_PART_BYTES,
        });
    }
    Ok(Some(decode(&buf)))
}

/// XML parts are UTF-8 unless a byte order mark says UTF-16.
fn decode(bytes: &[u8]) -> String {
    match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, bom)) => encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned(),
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Why a subtree is being skipped; decides what the notes say about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Skip {
    Deleted,
    Drawing,
    Object,
    /// Field instructions, alternative renderings and the like: nothing to report.
    Silent,
}

#[derive(Debug, Default)]
struct Para {
    lines: Vec<String>,
    style: Option<String>,
    center: Option<bool>,
    mark_bold: Option<bool>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    /// Whether any run with text was not bold.
    plain_run: bool,
    has_text: bool,
}

#[derive(Debug, Default)]
struct Cell {
    span: usize,
    paras: Vec<(Vec<String>, Hint)>,
}

impl Cell {
    fn text(&self) -> String {
        join_fragments(self.paras.iter().flat_map(|(lines, _)| lines))
    }
}

#[derive(Debug, Default)]
struct Row {
    before: usize,
    after: usize,
    cells: Vec<Cell>,
}

#[derive(Debug, Default)]
struct Table {
    rows: Vec<Row>,
    row: Option<Row>,
    cell: Option<Cell>,
}

/// The state of one pass over `document.xml`.
struct DocReader<'a> {
    styles: &'a Styles,
    numbering: &'a mut Numbering,
    blocks: Vec<Block>,
    tables: Vec<Table>,
    para: Option<Para>,
    skip: Option<(Skip, usize, String)>,
    /// Open complex fields: `true` while in the instructions, `false` in the result.
    fields: Vec<bool>,
    in_ppr: bool,
    in_rpr: bool,
    in_run: usize,
    in_text: bool,
    run_hidden: bool,
    run_bold: bool,
    run_has_text: bool,
    left_out: LeftOut,
}

/// What was left out or rearranged, for the notes.
#[derive(Debug, Default)]
struct LeftOut {
    /// Previews of deleted passages.
    deleted: Vec<String>,
    /// Previews of the text in drawings and text boxes.
    drawings: Vec<String>,
    objects: usize,
    hidden_runs: usize,
    toc_lines: usize,
    nested_tables: usize,
    unwrapped_tables: usize,
    alt_chunks: usize,
}

impl<'a> DocReader<'a> {
    fn new(styles: &'a Styles, numbering: &'a mut Numbering) -> DocReader<'a> {
        DocReader {
            styles,
            numbering,
            blocks: Vec::new(),
            tables: Vec::new(),
            para: None,
            skip: None,
            fields: Vec::new(),
            in_ppr: false,
            in_rpr: false,
            in_run: 0,
            in_text: false,
            run_hidden: false,
            run_bold: false,
            run_has_text: false,
            left_out: LeftOut::default(),
        }
    }

    fn read(&mut self, xml: &str) -> Result<(), String> {
        let mut reader = Reader::from_str(xml);
        let mut depth: usize = 0;
        let mut saw_body = false;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| format!("{e} (at byte {})", reader.error_position()))?;
            match event {
                Event::Start(e) => {
                    depth += 1;
                    saw_body |= matches!(e.local_name().as_ref(), b"body" | b"document");
                    self.start(&e, true);
                }
                Event::Empty(e) => {
                    self.start(&e, false);
                }
                Event::End(e) => {
                    depth = depth.saturating_sub(1);
                    self.end(e.local_name().as_ref());
                }
                Event::Text(t) => {
                    let text = t.xml10_content().map_err(|e| e.to_string())?;
                    self.text(&text);
                }
                Event::CData(t) => {
                    let text = String::from_utf8_lossy(&t).into_owned();
                    self.text(&text);
                }
                Event::GeneralRef(r) => {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            let name = r.decode().map_err(|e| e.to_string())?;
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(s) => s.to_string(),
                                None => return Err(format!("unknown entity &{name};")),
                            }
                        }
                    };
                    self.text(&resolved);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if depth != 0 {
            return Err("the XML ends before all its elements are closed".to_string());
        }
        if !saw_body {
            return Err("there is no document body".to_string());
        }
        Ok(())
    }

    fn start(&mut self, e: &BytesStart, is_start: bool) {
        let local = e.local_name();
        let name = local.as_ref();
        if let Some((_, depth, _)) = self.skip.as_mut() {
            if is_start {
                *depth += 1;
            }
            return;
        }
        let skip = match name {
            b"del" | b"moveFrom" => Some(Skip::Deleted),
            b"drawing" | b"pict" | b"txbxContent" => Some(Skip::Drawing),
            b"object" => Some(Skip::Object),
            b"instrText" | b"delInstrText" | b"Fallback" | b"rt" | b"sdtPr" | b"pPrChange"
            | b"rPrChange" | b"tblPrChange" | b"trPrChange" | b"tcPrChange" | b"sectPrChange"
            | b"numberingChange" => Some(Skip::Silent),
            _ => None,
        };
        if let Some(kind) = skip {
            if is_start {
                self.skip = Some((kind, 1, String::new()));
            } else if kind == Skip::Object {
                self.left_out.objects += 1;
            }
            return;
        }
        match name {
            b"p" if is_start => {
                self.para = Some(Para {
                    lines: vec![String::new()],
                    ..Para::default()
                });
            }
            b"pPr" if is_start => self.in_ppr = true,
            b"rPr" if is_start => self.in_rpr = true,
            b"r" if is_start => {
                self.in_run += 1;
                self.run_hidden = false;
                self.run_bold = false;
                self.run_has_text = false;
            }
            b"t" if is_start && self.in_run > 0 => self.in_text = true,
            b"tab" | b"ptab" if self.in_run > 0 && !self.in_ppr => self.push_text("\t"),
            b"br" | b"cr" if self.in_run > 0 && self.visible() => {
                if let Some(p) = self.para.as_mut() {
                    p.lines.push(String::new());
                }
            }
            b"noBreakHyphen" if self.in_run > 0 => self.push_text("-"),
            b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            b"altChunk" => self.left_out.alt_chunks += 1,
            _ if self.in_ppr => self.paragraph_property(e, name),
            b"b" if self.in_rpr && self.in_run > 0 => self.run_bold = is_on(e),
            b"vanish" | b"specVanish" if self.in_rpr && self.in_run > 0 => {
                self.run_hidden = is_on(e)
            }
            b"tbl" if is_start => self.tables.push(Table::default()),
            b"tr" if is_start => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Row::default());
                }
            }
            b"tc" if is_start => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(Cell {
                        span: 1,
                        ..Cell::default()
                    });
                }
            }
            b"gridSpan" => {
                let span = attr(e, b"val").and_then(|v| v.trim().parse::<usize>().ok());
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = span.unwrap_or(1).clamp(1, 1000);
                }
            }
            b"gridBefore" | b"gridAfter" => {
                let n = attr(e, b"val")
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0)
                    .min(1000);
                if let Some(r) = self.tables.last_mut().and_then(|t| t.row.as_mut()) {
                    if name == b"gridBefore" {
                        r.before = n;
                    } else {
                        r.after = n;
                    }
                }
            }
            _ => {}
        }
    }

    /// A property inside `w:pPr`: style, alignment, outline level, list or paragraph-mark bold.
    fn paragraph_property(&mut self, e: &BytesStart, name: &[u8]) {
        let in_rpr = self.in_rpr;
        let Some(p) = self.para.as_mut() else {
            return;
        };
        match name {
            b"pStyle" => p.style = attr(e, b"val"),
            b"jc" => p.center = Some(matches!(attr(e, b"val").as_deref(), Some("center"))),
            b"outlineLvl" => p.outline = attr(e, b"val").and_then(|v| v.trim().parse().ok()),
            b"numId" => p.num_id = attr(e, b"val"),
            b"ilvl" => p.ilvl = attr(e, b"val").and_then(|v| v.trim().parse().ok()),
            b"b" if in_rpr => p.mark_bold = Some(is_on(e)),
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        if let Some((kind, depth, text)) = self.skip.as_mut() {
            *depth -= 1;
            if *depth == 0 {
                let (kind, text) = (*kind, std::mem::take(text));
                self.skip = None;
                self.skipped(kind, text.trim());
            }
            return;
        }
        match name {
            b"p" => self.end_paragraph(),
            b"pPr" => self.in_ppr = false,
            b"rPr" => self.in_rpr = false,
            b"r" => {
                self.in_run = self.in_run.saturating_sub(1);
                if self.run_has_text && !self.run_bold {
                    if let Some(p) = self.para.as_mut() {
                        p.plain_run = true;
                    }
                }
            }
            b"t" => self.in_text = false,
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    if let (Some(row), Some(cell)) = (t.row.as_mut(), t.cell.take()) {
                        row.cells.push(cell);
                    }
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                }
            }
            b"tbl" => {
                if let Some(t) = self.tables.pop() {
                    self.end_table(t);
                }
            }
            _ => {}
        }
    }

    /// Records what a skipped subtree held.
    fn skipped(&mut self, kind: Skip, text: &str) {
        match kind {
            Skip::Deleted if !text.is_empty() => self.left_out.deleted.push(preview(text)),
            Skip::Drawing if !text.is_empty() => self.left_out.drawings.push(preview(text)),
            Skip::Object => self.left_out.objects += 1,
            _ => {}
        }
    }

    /// Whether text read now shows in the document.
    fn visible(&self) -> bool {
        !self.fields.iter().any(|instructions| *instructions)
    }

    fn text(&mut self, text: &str) {
        if let Some((kind, _, buf)) = self.skip.as_mut() {
            if matches!(kind, Skip::Deleted | Skip::Drawing) {
                buf.push_str(text);
            }
            return;
        }
        if self.in_text {
            self.push_text(text);
        }
    }

    fn push_text(&mut self, text: &str) {
        if !self.visible() {
            return;
        }
        if self.run_hidden {
            if !text.trim().is_empty() {
                self.left_out.hidden_runs += 1;
            }
            return;
        }
        let Some(p) = self.para.as_mut() else {
            return;
        };
        if !text.trim().is_empty() {
            self.run_has_text = true;
            p.has_text = true;
        }
        let line = p.lines.last_mut().expect("a paragraph has a line");
        line.extend(
            text.chars()
                .map(|c| if c == '\r' || c == '\n' { ' ' } else { c }),
        );
    }

    fn end_paragraph(&mut self) {
        let Some(mut p) = self.para.take() else {
            return;
        };
        let styles = self.styles;
        let style = p.style.as_deref();
        let kind = style.map_or(StyleKind::Normal, |s| styles.kind(s));
        if kind == StyleKind::Toc {
            if p.has_text {
                self.left_out.toc_lines += 1;
            }
            return;
        }
        let num_id = p
            .num_id
            .clone()
            .or_else(|| style.and_then(|s| styles.num_id(s)));
        let ilvl = p
            .ilvl
            .or_else(|| style.and_then(|s| styles.ilvl(s)))
            .unwrap_or(0);
        let number = match num_id.as_deref() {
            Some(id) if id != "0" => self.numbering.next(id, ilvl),
            _ => None,
        };
        if !p.has_text {
            return;
        }
        if let Some(number) = number {
            if let Some(first) = p.lines.iter_mut().find(|l| !l.trim().is_empty()) {
                *first = format!("{number}{}", first.trim_start());
            }
        }
        let outline = p.outline.or_else(|| style.and_then(|s| styles.outline(s)));
        let center = p
            .center
            .unwrap_or_else(|| style.is_some_and(|s| styles.center(s)));
        let bold =
            p.mark_bold.unwrap_or(false) || !p.plain_run || style.is_some_and(|s| styles.bold(s));
        let hint = match (kind, outline) {
            (StyleKind::Title, _) => Hint::Title,
            (StyleKind::Heading(n), _) => Hint::Heading(n),
            (_, Some(level)) if level < 9 => Hint::Heading(level + 1),
            _ if center || bold => Hint::Emphasis,
            _ => Hint::Plain,
        };
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => cell.paras.push((p.lines, hint)),
            None => self.blocks.push(Block::paragraph(p.lines, hint)),
        }
    }

    fn end_table(&mut self, table: Table) {
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            let text = join_fragments(
                table
                    .rows
                    .iter()
                    .flat_map(|r| r.cells.iter().map(Cell::text)),
            );
            if !text.is_empty() {
                cell.paras.push((vec![text], Hint::Plain));
            }
            self.left_out.nested_tables += 1;
            return;
        }
        if table.rows.iter().all(|r| r.cells.len() <= 1) {
            let paras: Vec<Block> = table
                .rows
                .into_iter()
                .flat_map(|r| r.cells)
                .flat_map(|c| c.paras)
                .map(|(lines, hint)| Block::paragraph(lines, hint))
                .collect();
            if !paras.is_empty() {
                self.left_out.unwrapped_tables += 1;
            }
            self.blocks.extend(paras);
            return;
        }
        let grid = table
            .rows
            .iter()
            .map(|row| {
                let mut cells = vec![GridCell::spanned(); row.before];
                for cell in &row.cells {
                    cells.push(GridCell::new(cell.text()));
                    cells.extend(std::iter::repeat_n(GridCell::spanned(), cell.span - 1));
                }
                cells.extend(std::iter::repeat_n(GridCell::spanned(), row.after));
                cells
            })
            .collect();
        self.blocks.push(Block::Table(grid));
    }

    fn notes(&self) -> Vec<Note> {
        let mut notes = Vec::new();
        if !self.left_out.deleted.is_empty() {
            let (n, list) = (self.left_out.deleted.len(), quoted(&self.left_out.deleted));
            notes.push(note!(
                "略去了 {n} 处已删除的内容（修订）：{list}。",
                "Left out {n} deleted passage(s) (tracked changes): {list}."
            ));
        }
        if !self.left_out.drawings.is_empty() {
            let (n, list) = (
                self.left_out.drawings.len(),
                quoted(&self.left_out.drawings),
            );
            notes.push(note!(
                "略去了 {n} 个文本框或图形中的文字：{list}。",
                "Left out the text of {n} text box(es) or drawing(s): {list}."
            ));
        }
        if self.left_out.objects > 0 {
            let n = self.left_out.objects;
            notes.push(note!(
                "略去了 {n} 个嵌入对象（如电子表格、图表），其内容不属于正文。",
                "Left out {n} embedded object(s), such as a spreadsheet or chart; their content is not part of the document text."
            ));
        }
        if self.left_out.hidden_runs > 0 {
            let n = self.left_out.hidden_runs;
            notes.push(note!(
                "略去了 {n} 段隐藏文字。",
                "Left out {n} run(s) of hidden text."
            ));
        }
        if self.left_out.toc_lines > 0 {
            let n = self.left_out.toc_lines;
            notes.push(note!(
                "略去了目录（{n} 行）。",
                "Left out the table of contents ({n} line(s))."
            ));
        }
        if self.left_out.nested_tables > 0 {
            let n = self.left_out.nested_tables;
            notes.push(note!(
                "把 {n} 个嵌套表格展开为所在单元格的文字。",
                "Flattened {n} nested table(s) into the text of their cells."
            ));
        }
        if self.left_out.unwrapped_tables > 0 {
            let n = self.left_out.unwrapped_tables;
            notes.push(note!(
                "把 {n} 个单列表格读作段落。",
                "Read {n} single-column table(s) as paragraphs."
            ));
        }
        if self.numbering.used {
            notes.push(note!(
                "把 Word 的自动编号（如「一、」「（一）」）写成了文字。",
                "Wrote out Word's automatic list numbers (such as 一、 or （一）) as text."
            ));
        }
        if self.left_out.alt_chunks > 0 {
            let n = self.left_out.alt_chunks;
            notes.push(note!(
                "略去了 {n} 个嵌入文档（altChunk，Word 打开时才合并）。",
                "Left out {n} embedded document(s) (altChunk) that Word merges in when opening."
            ));
        }
        notes
    }
}

/// The start of a text, for a note.
fn preview(text: &str) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() > 30 {
        format!("{}…", text.chars().take(30).collect::<String>())
    } else {
        text
    }
}

/// The first few previews, quoted.
fn quoted(items: &[String]) -> String {
    let mut out: Vec<String> = items.iter().take(3).map(|s| format!("“{s}”")).collect();
    if items.len() > 3 {
        out.push("…".to_string());
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{docx, english, para, zip_with, CHINESE_STYLES, W_NS};
    use super::super::{import_docx, ImportError};

    fn md(body: &str, styles: Option<&str>) -> String {
        import_docx(&docx(body, styles)).unwrap().markdown
    }

    #[test]
    fn headings_by_style_and_by_numbering() {
        let body = [
            para(Some("a3"), "某区人民政府2022年政府信息公开工作年度报告", 4),
            para(None, "本年度报告根据《条例》编制。", 3),
            para(Some("1"), "一、总体情况", 2),
            para(None, "（一）主动公开。本年度主动公开信息120条。", 5),
            para(None, "二、主动公开政府信息情况", 40),
            para(Some("2"), "三、收到和处理政府信息公开申请情况", 40),
            para(Some("Heading1"), "四、政府信息公开行政复议、行政诉讼情况", 40),
            para(None, "五、存在的主要问题及改进情况。本年度存在的问题主要是信息公开的及时性有待提高，下一步将加强培训。", 40),
        ]
        .concat();
        assert_eq!(
            md(&body, Some(CHINESE_STYLES)),
            "# 某区人民政府2022年政府信息公开工作年度报告\n\n\
             本年度报告根据《条例》编制。\n\n\
             ## 一、总体情况\n\n\
             （一）主动公开。本年度主动公开信息120条。\n\n\
             ## 二、主动公开政府信息情况\n\n\
             ## 三、收到和处理政府信息公开申请情况\n\n\
             ## 四、政府信息公开行政复议、行政诉讼情况\n\n\
             五、存在的主要问题及改进情况。本年度存在的问题主要是信息公开的及时性有待提高，下一步将加强培训。\n"
        );
        // Without styles.xml, the ids Chinese Word uses for its heading styles still count.
        let body = [
            para(Some("1"), "总体情况", 9),
            para(Some("2"), "（一）主动公开", 9),
        ]
        .concat();
        assert_eq!(md(&body, None), "## 总体情况\n\n（一）主动公开\n");
    }

    #[test]
    fn runs_tabs_and_line_breaks() {
        let body = r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>
            <w:r><w:t>　　本年度，</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>我区</w:t></w:r>
            <w:r><w:t xml:space="preserve">共收到 </w:t></w:r><w:r><w:t>申请</w:t></w:r><w:r><w:tab/><w:t>12件</w:t></w:r>
            <w:r><w:br/><w:t>第二行&amp;&#x4E09;</w:t></w:r></w:p>"#;
        assert_eq!(md(body, None), "本年度，我区共收到 申请 12件\n第二行&三\n");
    }

    #[test]
    fn merged_table_with_vertical_text() {
        // Part of table 三: a group label over several rows, a label spanning two columns,
        // vertical text in the header, and a row that starts one grid column late.
        let cell = |props: &str, texts: &[&str]| {
            let paras: String = texts.iter().map(|t| para(None, t, 9)).collect();
            let paras = if paras.is_empty() {
                "<w:p/>".to_string()
            } else {
                paras
            };
            format!("<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>")
        };
        let span = |n: usize| format!(r#"<w:gridSpan w:val="{n}"/>"#);
        let restart = r#"<w:vMerge w:val="restart"/>"#;
        let cont = "<w:vMerge/>";
        let rows = [
            vec![
                cell(
                    &(span(3) + restart),
                    &[
                        "（本列数据的勾稽关系为：第一项加第二项之和，",
                        "等于第三项加第四项之和）",
                    ],
                ),
                cell(&span(2), &["申请人情况"]),
            ],
            vec![
                cell(&(span(3) + cont), &[]),
                cell("", &["自", "然", "人"]),
                cell("", &["总", "计"]),
            ],
            vec![
                cell(&span(3), &["一、本年新收政府信息公开申请数量"]),
                cell("", &["3"]),
                cell("", &["3"]),
            ],
            vec![
                cell(restart, &["三、本年度办理结果"]),
                cell(&span(2), &["（一）予以公开"]),
                cell("", &["2"]),
                cell("", &["2"]),
            ],
            vec![
                cell(cont, &[]),
                cell(restart, &["（三）", "不予", "公开"]),
                cell("", &["1.属于国家秘密"]),
                cell("", &["1"]),
                cell("", &["1"]),
            ],
            vec![
                cell(cont, &[]),
                cell(cont, &[]),
                cell("", &["2.其他法律行政法规禁止公开"]),
                cell("", &["0"]),
                cell("", &["0"]),
            ],
        ];
        let mut body = String::from("<w:tbl><w:tblPr><w:jc w:val=\"center\"/></w:tblPr>");
        for row in rows {
            body.push_str("<w:tr>");
            body.push_str(&row.concat());
            body.push_str("</w:tr>");
        }
        body.push_str(r#"<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>"#);
        body.push_str(&cell(&span(2), &["（七）总计"]));
        body.push_str(&cell("", &["3"]));
        body.push_str(&cell("", &["3"]));
        body.push_str("</w:tr></w:tbl>");
        insta::assert_snapshot!(md(&body, None));
    }

    #[test]
    fn sliver_grid_columns_go_but_blank_cells_stay() {
        // Grid column 2 is a sliver every row covers with a span; column 4 is blank but real.
        let tc = |span: usize, text: &str| {
            format!(
                r#"<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{}</w:tc>"#,
                para(None, text, 9)
            )
        };
        let body = format!(
            "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>\
             <w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            tc(1, "信息内容"),
            tc(2, "本年制发件数"),
            tc(1, "本年废止件数"),
            tc(1, "规章"),
            tc(2, "3"),
            tc(1, ""),
        );
        assert_eq!(
            md(&body, None),
            "| 信息内容 | 本年制发件数 | 本年废止件数 |\n| --- | --- | --- |\n| 规章 | 3 |  |\n"
        );
    }

    #[test]
    fn broken_styles_are_a_note_not_an_error() {
        let bytes = zip_with(&[
            (
                "word/document.xml",
                &format!(
                    r#"<w:document xmlns:w="{W_NS}"><w:body>{}</w:body></w:document>"#,
                    para(Some("1"), "一、总体情况", 9)
                ),
            ),
            ("word/styles.xml", "<w:styles><w:style></w:styles>"),
        ]);
        let imported = import_docx(&bytes).unwrap();
        assert_eq!(imported.markdown, "## 一、总体情况\n");
        assert!(
            imported.notes[0].en.contains("styles"),
            "{:?}",
            imported.notes
        );
    }

    #[test]
    fn pipes_in_cells_are_escaped() {
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            para(None, "a|b", 9),
            para(None, "c", 9)
        );
        assert_eq!(md(&body, None), "| a\\|b | c |\n| --- | --- |\n");
    }

    #[test]
    fn deleted_text_is_dropped_and_inserted_text_kept() {
        let body = r#"<w:p><w:r><w:t>共收到申请</w:t></w:r>
            <w:del w:id="1" w:author="a"><w:r><w:delText>15</w:delText></w:r></w:del>
            <w:ins w:id="2" w:author="a"><w:r><w:t>16</w:t></w:r></w:ins>
            <w:r><w:t>件。</w:t></w:r></w:p>"#;
        let imported = import_docx(&docx(body, None)).unwrap();
        assert_eq!(imported.markdown, "共收到申请16件。\n");
        assert!(
            imported
                .notes
                .iter()
                .any(|n| n.en.contains("deleted") && n.en.contains("“15”")),
            "{:?}",
            imported.notes
        );
    }

    #[test]
    fn fields_drawings_hidden_text_and_toc_are_left_out() {
        let styles =
            r#"<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>"#;
        let body = r#"<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:t>一、总体情况 1</w:t></w:r></w:p>
            <w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
            <w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>
            <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r>
            <w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>
            <w:r><w:drawing><wp:inline xmlns:wp="wp"><w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent></wp:inline></w:drawing></w:r></w:p>"#;
        let imported = import_docx(&docx(body, Some(styles))).unwrap();
        assert_eq!(imported.markdown, "第3页\n");
        let notes = english(&imported.notes);
        assert!(notes.contains("文本框里的字"), "{notes}");
        assert!(notes.contains("hidden"), "{notes}");
        assert!(notes.contains("table of contents"), "{notes}");
    }

    #[test]
    fn automatic_list_numbers_are_written_out() {
        let numbering = format!(
            r#"<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="3">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            </w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num></w:numbering>"#
        );
        let numbered = |ilvl: u8, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="5"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let body = [
            numbered(0, "总体情况"),
            numbered(1, "主动公开"),
            numbered(1, "依申请公开"),
            numbered(0, "主动公开政府信息情况"),
        ]
        .concat();
        let document =
            format!(r#"<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#);
        let bytes = zip_with(&[
            ("word/document.xml", &document),
            ("word/numbering.xml", &numbering),
        ]);
        let imported = import_docx(&bytes).unwrap();
        assert_eq!(
            imported.markdown,
            "## 一、总体情况\n\n（一）主动公开\n\n（二）依申请公开\n\n## 二、主动公开政府信息情况\n"
        );
        assert!(imported.notes.iter().any(|n| n.en.contains("list numbers")));
    }

    #[test]
    fn nested_tables_are_flattened_and_single_columns_unwrapped() {
        let inner = format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            para(None, "甲", 9),
            para(None, "乙", 9)
        );
        let body = format!(
            "<w:tbl><w:tr><w:tc>{}{inner}<w:p/></w:tc><w:tc>{}</w:tc></w:tr></w:tbl>\
             <w:tbl><w:tr><w:tc>{}{}</w:tc></w:tr></w:tbl>",
            para(None, "外", 9),
            para(None, "1", 9),
            para(None, "二、主动公开政府信息情况", 9),
            para(None, "正文。", 9),
        );
        let imported = import_docx(&docx(&body, None)).unwrap();
        assert_eq!(
            imported.markdown,
            "| 外甲乙 | 1 |\n| --- | --- |\n\n## 二、主动公开政府信息情况\n\n正文。\n"
        );
        assert_eq!(imported.notes.len(), 2, "{:?}", imported.notes);
    }

    #[test]
    fn unreadable_inputs_are_errors() {
        assert!(matches!(
            import_docx(b"hello, not a zip"),
            Err(ImportError::NotZip(_))
        ));
        assert!(matches!(import_docx(b""), Err(ImportError::NotZip(_))));
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend([0; 100]);
        assert_eq!(import_docx(&ole), Err(ImportError::LegacyWord));
        let whole = docx(&para(None, "正文", 9), None);
        assert!(import_docx(&whole[..whole.len() / 2]).is_err());
        let no_document = zip_with(&[("word/styles.xml", "<w:styles/>")]);
        assert_eq!(import_docx(&no_document), Err(ImportError::MissingDocument));
        for bad in [
            "<w:document><w:body><w:p><w:r><w:t>x</w:r></w:p></w:body></w:document>",
            "<w:document><w:body><w:p><w:r><w:t>x</w:t>",
            "just text",
            "<w:document><w:body><w:p>&nosuch;</w:p></w:body></w:document>",
        ] {
            let bytes = zip_with(&[("word/document.xml", bad)]);
            let err = import_docx(&bytes).unwrap_err();
            assert!(matches!(err, ImportError::Xml { .. }), "{bad}: {err:?}");
            assert!(err.to_string().contains("word/document.xml"), "{err}");
        }
    }
}
