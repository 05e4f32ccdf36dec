//! Reading saved government web pages: the main content's headings, paragraphs and tables
//! (with `rowspan` and `colspan` resolved), without scripts, navigation or page chrome.

use scraper::node::Element;
use scraper::{CaseSensitivity, ElementRef, Html, Node};

use super::markdown::{is_cjk, join_fragments, title_index, Block, GridCell, Hint};
use super::Note;

/// Deeper than this, an element's text is read as one run (against stack exhaustion).
const MAX_DEPTH: usize = 200;

/// Classes, ids and tags of the containers that usually hold an article.
const CONTENT_CLASSES: &[&str] = &[
    "TRS_Editor",
    "TRS_UEDITOR",
    "zoom",
    "article",
    "article-content",
    "content",
    "main",
    "detail",
    "pages_content",
];
const CONTENT_IDS: &[&str] = &["zoom", "content", "UCAP-CONTENT", "main", "article"];
const CONTENT_TAGS: &[&str] = &["article", "main"];

/// Elements whose content is never body text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "form", "iframe", "svg", "button", "select",
    "textarea", "head", "title", "object", "embed", "canvas", "audio", "video",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "header",
    "footer",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "center",
    "pre",
    "address",
    "figure",
    "figcaption",
    "hr",
    "details",
    "summary",
    "fieldset",
    "legend",
    "caption",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "tfoot",
    "body",
    "html",
];

/// Reads the blocks of a web page, and notes on what was left out or guessed.
pub(super) fn read(html: &str) -> (Vec<Block>, Vec<Note>) {
    let doc = Html::parse_document(html);
    let page = doc.root_element();
    let body = page
        .descendent_elements()
        .find(|e| e.value().name() == "body")
        .unwrap_or(page);
    let mut notes = Vec::new();
    let root = main_content(body);
    let is_body = root.id() == body.id();
    match is_body {
        true => notes.push(note!(
            "没有找到正文容器（如 .TRS_Editor 或 #zoom），读取了整个页面。",
            "Found no main-content container (such as .TRS_Editor or #zoom); read the whole page body."
        )),
        false => {
            let from = describe(root.value());
            notes.push(note!("从 {from} 读取正文。", "Read the main content from {from}."))
        }
    }
    let mut walker = Walker::new(!is_body);
    walker.children(root, 0);
    walker.flush();
    let mut blocks = walker.blocks;
    let chrome = drop_chrome(&mut blocks);
    if !chrome.is_empty() {
        let mut shown: Vec<String> = Vec::new();
        for c in chrome {
            if !shown.contains(&c) {
                shown.push(c);
            }
        }
        let zh = shown
            .iter()
            .map(|c| format!("「{c}」"))
            .collect::<Vec<_>>()
            .join("、");
        let en = shown
            .iter()
            .map(|c| format!("“{c}”"))
            .collect::<Vec<_>>()
            .join(", ");
        notes.push(note!(
            "略去了页面上的栏目文字：{zh}。",
            "Left out page chrome: {en}."
        ));
    }
    if title_index(&blocks).is_none() {
        if let Some((title, from)) = outside_title(&doc, body) {
            notes.push(note!(
                "从 {from} 取得标题「{title}」。",
                "Took the title “{title}” from {from}."
            ));
            blocks.insert(0, Block::paragraph(vec![title], Hint::Title));
        }
    }
    if walker.dropped > 0 {
        let n = walker.dropped;
        notes.push(note!(
            "略去了 {n} 个含文字的导航、脚本、表单或隐藏元素。",
            "Left out {n} navigation, script, form or hidden element(s) holding text."
        ));
    }
    if walker.layout_tables > 0 {
        let n = walker.layout_tables;
        notes.push(note!(
            "把 {n} 个排版用的表格（单列或嵌套表格）读作段落。",
            "Read {n} layout table(s) (a single column, or tables inside tables) as paragraphs."
        ));
    }
    if walker.frames > 0 {
        let n = walker.frames;
        notes.push(note!(
            "略去了 {n} 个框架或嵌入文件（如 PDF），其内容是另一份文件，需单独导入。",
            "Left out {n} frame(s) or embedded file(s) (such as a PDF); their content is a separate document, to be imported on its own."
        ));
    }
    if walker.images > 0 {
        let n = walker.images;
        notes.push(note!(
            "略去了 {n} 张图片，图片中的文字或表格无法读取。",
            "Left out {n} image(s); text or tables inside pictures cannot be read."
        ));
    }
    (blocks, notes)
}

/// `div.TRS_Editor`, `div#zoom`, `article`: how a note names an element.
fn describe(e: &Element) -> String {
    let mut s = e.name().to_string();
    if let Some(id) = e.id() {
        s.push('#');
        s.push_str(id);
    }
    for class in e.classes() {
        s.push('.');
        s.push_str(class);
    }
    s
}

fn is_hidden(e: &Element) -> bool {
    if e.attr("hidden").is_some()
        || e.attr("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    let style: String = e
        .attr("style")
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// Whether an element and its content are left out; `header` and `footer` are kept only
/// inside a chosen content container, where they belong to the article.
fn is_dropped(e: &Element, keep_sections: bool) -> bool {
    let name = e.name();
    DROPPED.contains(&name)
        || (!keep_sections && matches!(name, "header" | "footer"))
        || is_hidden(e)
}

fn is_candidate(e: &Element) -> bool {
    CONTENT_TAGS.contains(&e.name())
        || CONTENT_CLASSES
            .iter()
            .any(|c| e.has_class(c, CaseSensitivity::AsciiCaseInsensitive))
        || e.id()
            .is_some_and(|id| CONTENT_IDS.iter().any(|c| c.eq_ignore_ascii_case(id)))
}

/// Visible text outside links, in characters: how much of the article an element holds.
fn score(el: ElementRef, depth: usize) -> usize {
    let mut n = 0;
    for child in el.children() {
        match child.value() {
            Node::Text(t) => n += t.chars().filter(|c| !c.is_whitespace()).count(),
            Node::Element(e) => {
                if e.name() == "a" || is_dropped(e, false) || depth > MAX_DEPTH {
                    continue;
                }
                if let Some(c) = ElementRef::wrap(child) {
                    n += score(c, depth + 1);
                }
            }
            _ => {}
        }
    }
    n
}

fn candidates<'a>(el: ElementRef<'a>, depth: usize, out: &mut Vec<ElementRef<'a>>) {
    for child in el.child_elements() {
        if is_dropped(child.value(), false) || depth > MAX_DEPTH {
            continue;
        }
        if is_candidate(child.value()) {
            out.push(child);
        }
        candidates(child, depth + 1, out);
    }
}

/// The container that holds the article: among the common containers, the smallest one that
/// still holds nine tenths of the text the fullest one holds (so a wrapper with side columns
/// loses to the article inside it), or the body when there is none.
fn main_content(body: ElementRef) -> ElementRef {
    let mut found = Vec::new();
    candidates(body, 0, &mut found);
    let scored: Vec<(ElementRef, usize)> = found.into_iter().map(|e| (e, score(e, 0))).collect();
    let Some(best) = scored.iter().map(|(_, s)| *s).max().filter(|s| *s > 0) else {
        return body;
    };
    scored
        .iter()
        .filter(|(_, s)| *s * 10 >= best * 9)
        .min_by_key(|(_, s)| *s)
        .map_or(body, |(e, _)| *e)
}

/// Collapses whitespace as a browser does, except that a line break between two CJK
/// characters disappears (vertical text and wrapped source lines).
fn collapse(raw: &str) -> String {
    let mut out = String::new();
    let mut pending: Option<bool> = None;
    for c in raw.chars() {
        if c.is_whitespace() {
            let newline = c == '\n' || c == '\r';
            pending = Some(pending.unwrap_or(false) || newline);
            continue;
        }
        if let Some(newline) = pending.take() {
            if let Some(prev) = out.chars().next_back() {
                if !(newline && is_cjk(prev) && is_cjk(c)) {
                    out.push(' ');
                }
            }
        }
        out.push(c);
    }
    out
}

/// Walks the content, gathering inline text into paragraphs.
struct Walker {
    blocks: Vec<Block>,
    lines: Vec<String>,
    line: String,
    hint: Hint,
    keep_sections: bool,
    images: usize,
    /// Frames and embedded files (such as a PDF), whose content is another document.
    frames: usize,
    dropped: usize,
    layout_tables: usize,
}

impl Walker {
    fn new(keep_sections: bool) -> Walker {
        Walker {
            blocks: Vec::new(),
            lines: Vec::new(),
            line: String::new(),
            hint: Hint::Plain,
            keep_sections,
            images: 0,
            frames: 0,
            dropped: 0,
            layout_tables: 0,
        }
    }

    fn children(&mut self, el: ElementRef, depth: usize) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.line.push_str(t),
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        self.element(c, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, el: ElementRef, depth: usize) {
        let e = el.value();
        let name = e.name();
        if is_dropped(e, self.keep_sections) {
            if matches!(name, "iframe" | "object" | "embed") && !is_hidden(e) {
                self.frames += 1;
            } else if el.text().any(|t| !t.trim().is_empty()) {
                self.dropped += 1;
            }
            return;
        }
        if depth > MAX_DEPTH {
            self.line.push(' ');
            self.line.extend(el.text());
            return;
        }
        match name {
            "br" => self.break_line(),
            "img" => self.images += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name[1..].parse::<u8>().unwrap_or(6);
                let outer = self.hint;
                self.hint = if level == 1 {
                    Hint::Title
                } else {
                    Hint::Heading(level)
                };
                self.children(el, depth);
                self.flush();
                self.hint = outer;
            }
            "table" => {
                self.flush();
                self.table(el, depth);
            }
            _ if BLOCKS.contains(&name) => {
                self.flush();
                self.children(el, depth);
                self.flush();
            }
            _ => self.children(el, depth),
        }
    }

    fn break_line(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.lines.push(line);
    }

    /// Ends the current paragraph.
    fn flush(&mut self) {
        self.break_line();
        let lines: Vec<String> = std::mem::take(&mut self.lines)
            .iter()
            .map(|l| collapse(l))
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            self.blocks.push(Block::paragraph(lines, self.hint));
        }
    }

    fn table(&mut self, table: ElementRef, depth: usize) {
        let rows: Vec<ElementRef> = table
            .child_elements()
            .flat_map(|child| match child.value().name() {
                "tr" => vec![child],
                "thead" | "tbody" | "tfoot" if !is_hidden(child.value()) => child
                    .child_elements()
                    .filter(|r| r.value().name() == "tr")
                    .collect(),
                _ => Vec::new(),
            })
            .filter(|r| !is_hidden(r.value()))
            .collect();
        let cells: Vec<Vec<ElementRef>> = rows
            .iter()
            .map(|r| {
                r.child_elements()
                    .filter(|c| matches!(c.value().name(), "td" | "th") && !is_hidden(c.value()))
                    .collect()
            })
            .collect();
        let width = cells
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| span(c.value(), "colspan"))
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0);
        let nested = cells.iter().flatten().any(|c| {
            c.descendent_elements()
                .skip(1)
                .any(|d| d.value().name() == "table")
        });
        for caption in table
            .child_elements()
            .filter(|c| c.value().name() == "caption")
        {
            self.element(caption, depth + 1);
        }
        if nested || width <= 1 {
            if cells.iter().flatten().next().is_some() {
                self.layout_tables += 1;
            }
            for cell in cells.iter().flatten() {
                self.children(*cell, depth + 1);
                self.flush();
            }
            return;
        }
        let n = rows.len();
        let mut slots: Vec<Vec<Option<GridCell>>> = vec![Vec::new(); n];
        for (r, row) in cells.iter().enumerate() {
            let mut col = 0;
            for cell in row {
                while slots[r].get(col).is_some_and(Option::is_some) {
                    col += 1;
                }
                let colspan = span(cell.value(), "colspan");
                let rowspan = match span(cell.value(), "rowspan") {
                    0 => n - r,
                    s => s.min(n - r),
                };
                let text = self.cell_text(*cell, depth + 1);
                for (dr, slot_row) in slots[r..r + rowspan].iter_mut().enumerate() {
                    if slot_row.len() < col + colspan {
                        slot_row.resize(col + colspan, None);
                    }
                    for (dc, slot) in slot_row[col..col + colspan].iter_mut().enumerate() {
                        if dr == 0 && dc == 0 {
                            *slot = Some(GridCell::new(text.clone()));
                        } else if slot.is_none() {
                            *slot = Some(match dc {
                                0 => GridCell::default(),
                                _ => GridCell::spanned(),
                            });
                        }
                    }
                }
                col += colspan;
            }
        }
        let grid = slots
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|slot| slot.unwrap_or_else(GridCell::spanned))
                    .collect()
            })
            .collect();
        self.blocks.push(Block::Table(grid));
    }

    /// A cell's text: its paragraphs, lines and any nested content joined as fragments.
    fn cell_text(&mut self, cell: ElementRef, depth: usize) -> String {
        let mut inner = Walker::new(self.keep_sections);
        inner.children(cell, depth);
        inner.flush();
        self.images += inner.images;
        self.frames += inner.frames;
        self.dropped += inner.dropped;
        join_fragments(inner.blocks.into_iter().flat_map(|b| match b {
            Block::Paragraph { lines, .. } => lines,
            Block::Table(rows) => rows.into_iter().flatten().map(|c| c.text).collect(),
        }))
    }
}

/// `colspan` or `rowspan`: 1 when absent or unreadable, 0 only for `rowspan="0"`.
fn span(e: &Element, name: &str) -> usize {
    let Some(value) = e.attr(name) else {
        return 1;
    };
    let digits: String = value
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match digits.parse::<usize>() {
        Ok(0) if name == "rowspan" => 0,
        Ok(n) => n.clamp(1, 1000),
        Err(_) => 1,
    }
}

/// Whole lines of page furniture, as their text reads once spaces and brackets are removed.
const CHROME_PHRASES: &[&str] = &[
    "扫一扫在手机上查看当前页面",
    "扫一扫在手机打开当前页",
    "扫一扫在手机打开",
    "扫一扫",
    "打印本页",
    "打印此页",
    "打印页面",
    "关闭窗口",
    "关闭本页",
    "返回顶部",
    "回到顶部",
    "收藏本页",
    "加入收藏",
    "保存本页",
    "我要纠错",
    "分享到",
    "微信",
    "微博",
    "QQ空间",
    "字号大中小",
    "字号默认大中小",
    "字体大中小",
    "打印",
    "关闭",
];

/// Bracketed chrome inside a line of other text: `发布日期：… 【打印本页】`.
const CHROME_TOKENS: &[&str] = &[
    "打印本页",
    "打印此页",
    "关闭窗口",
    "关闭本页",
    "收藏本页",
    "返回顶部",
    "我要纠错",
    "打印",
    "关闭",
];

/// The line, if the whole of it is page chrome.
fn chrome_line(line: &str) -> Option<String> {
    let compact: String = line
        .chars()
        .filter(|c| !c.is_whitespace() && !"【】[]()（）|｜:：·•/".contains(*c))
        .collect();
    if compact.is_empty() {
        return None;
    }
    let navigation = [
        "上一篇",
        "下一篇",
        "当前位置",
        "您现在的位置",
        "您当前的位置",
    ];
    if navigation.iter().any(|p| compact.starts_with(p)) {
        return Some(line.trim().to_string());
    }
    let mut rest = compact.as_str();
    while !rest.is_empty() {
        rest = CHROME_PHRASES.iter().find_map(|p| rest.strip_prefix(p))?;
    }
    Some(line.trim().to_string())
}

/// Removes chrome lines and bracketed chrome tokens from paragraphs; returns what went.
fn drop_chrome(blocks: &mut Vec<Block>) -> Vec<String> {
    let mut dropped = Vec::new();
    for block in blocks.iter_mut() {
        let Block::Paragraph { lines, .. } = block else {
            continue;
        };
        lines.retain_mut(|line| {
            if let Some(what) = chrome_line(line) {
                dropped.push(what);
                return false;
            }
            for token in CHROME_TOKENS {
                for bracketed in [format!("【{token}】"), format!("[{token}]")] {
                    if line.contains(&bracketed) {
                        *line = line.replace(&bracketed, "").trim().to_string();
                        dropped.push(bracketed);
                    }
                }
            }
            !line.is_empty()
        });
    }
    blocks.retain(|b| !matches!(b, Block::Paragraph { lines, .. } if lines.is_empty()));
    dropped
}

fn looks_like_title(text: &str) -> bool {
    text.ends_with("年度报告") && text.chars().count() <= 60 && !text.contains('。')
}

/// A report title outside the content container: a heading or an element classed `title`,
/// else a part of the page's `<title>`; with where it was found.
fn outside_title(doc: &Html, body: ElementRef) -> Option<(String, &'static str)> {
    let from_page = body.descendent_elements().find_map(|el| {
        let e = el.value();
        let titled = matches!(e.name(), "h1" | "h2" | "h3")
            || e.classes()
                .any(|c| c.to_ascii_lowercase().contains("title"))
            || e.id()
                .is_some_and(|id| id.to_ascii_lowercase().contains("title"));
        if !titled || DROPPED.contains(&e.name()) || is_hidden(e) {
            return None;
        }
        let text = collapse(&el.text().collect::<String>());
        looks_like_title(&text).then_some(text)
    });
    if let Some(t) = from_page {
        return Some((t, "a heading outside the main content"));
    }
    let head_title = doc
        .root_element()
        .descendent_elements()
        .find(|e| e.value().name() == "title")?;
    let text = collapse(&head_title.text().collect::<String>());
    text.split(['_', '|', '-', '—', '–'])
        .map(str::trim)
        .find(|part| looks_like_title(part))
        .map(|part| (part.to_string(), "the page's <title> (a guess)"))
}

#[cfg(test)]
mod tests {
    use super::super::import_html;
    use super::super::test_support::english;
    use super::*;

    /// A saved page: site chrome around a content container that holds the report's title,
    /// headings, a paragraph and part of table 三 with `rowspan` and `colspan`.
    const PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某区人民政府2022年政府信息公开工作年度报告_某区人民政府</title>
<style>.TRS_Editor p { text-indent: 2em }</style>
<script>var crumbs = "一、总体情况";</script></head>
<body>
<header><div class="logo">某区人民政府</div></header>
<nav><a href="/">首页</a> <a href="/zwgk">政务公开</a></nav>
<div class="side"><ul><li><a href="/a">通知公告</a></li><li><a href="/b">政策文件</a></li></ul></div>
<div id="zoom" class="content">
  <h1>某区人民政府2022年政府信息公开工作年度报告</h1>
  <div style="display:none">这段文字被隐藏了</div>
  <p>&nbsp;&nbsp;本年度报告根据《中华人民共和国政府信息公开条例》编制。</p>
  <h3>一、总体情况</h3>
  <p>（一）主动公开。<br>本年度主动公开<strong>政府信息</strong>
     120条。</p>
  <p><b>三、收到和处理政府信息公开申请情况</b></p>
  <table border="1">
    <tr><td colspan="3" rowspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
        <td colspan="2">申请人情况</td></tr>
    <tr><td>自<br>然<br>人</td><td><p>总</p><p>计</p></td></tr>
    <tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>3</td><td>3</td></tr>
    <tr><td rowspan="3">三、本年<br>度办理<br>结果</td><td colspan="2">（一）予以公开</td><td>2</td><td>2</td></tr>
    <tr><td rowspan="2">（三）<br>不予<br>公开</td><td>1.属于国家秘密</td><td>1</td><td>1</td></tr>
    <tr><td>2.其他法律行政法规禁止公开 | 另见附件</td><td>&nbsp;</td><td>0</td></tr>
  </table>
  <div class="share">扫一扫在手机打开当前页</div>
  <p>【打印本页】 【关闭窗口】</p>
  <img src="qr.png">
  <iframe src="/attach/report.pdf"></iframe>
</div>
<footer><p>版权所有：某区人民政府</p><form><input type="text" value="搜索"></form></footer>
</body></html>"#;

    #[test]
    fn page_with_chrome() {
        let imported = import_html(PAGE);
        insta::assert_snapshot!(imported.markdown);
        let notes = english(&imported.notes);
        assert!(notes.contains("div#zoom.content"), "{notes}");
        assert!(notes.contains("扫一扫在手机打开当前页"), "{notes}");
        assert!(notes.contains("【打印本页】"), "{notes}");
        assert!(notes.contains("1 image"), "{notes}");
        assert!(notes.contains("1 frame"), "{notes}");
        assert!(notes.contains("hidden"), "{notes}");
    }

    #[test]
    fn title_outside_the_content_container() {
        let page = r#"<body><div class="wrap"><div class="title">某局2023年政府信息公开工作年度报告</div>
            <div class="info">发布时间：2024-01-20</div>
            <div class="TRS_Editor"><p>一、总体情况</p><p>本局认真贯彻落实《条例》，全年主动公开政府信息三百余条，办理依申请公开事项十二件，公开工作有序推进。</p></div>
            </div></body>"#;
        let imported = import_html(page);
        assert_eq!(
            imported.markdown,
            "# 某局2023年政府信息公开工作年度报告\n\n## 一、总体情况\n\n本局认真贯彻落实《条例》，全年主动公开政府信息三百余条，办理依申请公开事项十二件，公开工作有序推进。\n"
        );
        assert!(
            imported.notes.iter().any(|n| n.en.contains("outside")),
            "{:?}",
            imported.notes
        );
    }

    #[test]
    fn word_exported_page() {
        let page = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
            <!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>x</o:Author></o:DocumentProperties></xml><![endif]-->
            </head><body lang=ZH-CN><div class=WordSection1>
            <p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt'>某县人民政府<o:p></o:p></span></b></p>
            <p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt'>2021年政府信息公开工作年度报告<o:p></o:p></span></b></p>
            <p class=MsoNormal><span>一、总体情况<o:p></o:p></span></p>
            <p class=MsoNormal style='text-indent:32.0pt'><span>本年度，</span><span lang=EN-US>2021</span><span>年共收到申请</span><span lang=EN-US>5</span><span>件。<o:p>&nbsp;</o:p></span></p>
            <table class=MsoNormalTable border=1><tr>
              <td width=40 rowspan=2><p class=MsoNormal><span>结</span></p><p class=MsoNormal><span>果</span></p>
                <p class=MsoNormal><span>维</span></p><p class=MsoNormal><span>持</span></p></td>
              <td colspan=2><p class=MsoNormal><span>行政诉讼</span></p></td></tr>
              <tr><td><p class=MsoNormal><span lang=EN-US>0<o:p></o:p></span></p></td><td><p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p></span></p></td></tr>
            </table></div></body></html>"#;
        let imported = import_html(page);
        assert_eq!(
            imported.markdown,
            "# 某县人民政府2021年政府信息公开工作年度报告\n\n\
             ## 一、总体情况\n\n\
             本年度，2021年共收到申请5件。\n\n\
             | 结果维持 | 行政诉讼 |  |\n| --- | --- | --- |\n|  | 0 |  |\n"
        );
    }

    #[test]
    fn layout_tables_become_paragraphs() {
        let page = r#"<body><table width="100%"><tr><td>
            <p>某局2023年政府信息公开工作年度报告</p>
            <table><tr><td>甲</td><td>1</td></tr><tr><td>乙</td><td>2</td></tr></table>
            </td></tr></table></body>"#;
        let imported = import_html(page);
        assert_eq!(
            imported.markdown,
            "# 某局2023年政府信息公开工作年度报告\n\n| 甲 | 1 |\n| --- | --- |\n| 乙 | 2 |\n"
        );
    }

    #[test]
    fn whitespace_collapses_like_a_browser_but_joins_cjk_lines() {
        assert_eq!(collapse("  结\n  果 "), "结果");
        assert_eq!(collapse("自 然 人"), "自 然 人");
        assert_eq!(collapse("a\n b"), "a b");
        assert_eq!(collapse("\u{a0}"), "");
    }

    #[test]
    fn chrome_lines() {
        assert!(chrome_line("扫一扫在手机打开当前页").is_some());
        assert!(chrome_line("【打印本页】 【关闭窗口】").is_some());
        assert!(chrome_line("【字体：大 中 小】").is_some());
        assert!(chrome_line("上一篇：某区2021年政府信息公开工作年度报告").is_some());
        assert!(chrome_line("关闭不予公开事项").is_none());
        assert!(chrome_line("2022年").is_none());
    }

    #[test]
    fn pathological_pages_do_not_panic() {
        let deep = format!("{}深处的字{}", "<div>".repeat(1000), "</div>".repeat(1000));
        assert!(import_html(&deep).markdown.contains("深处的字"));
        let wide = r#"<table><tr><td colspan="100000" rowspan="0">a</td><td rowspan="9">b</td></tr>
            <tr><td colspan="2">c</td></tr></table>"#;
        let imported = import_html(wide);
        assert!(imported.markdown.contains("| a |"), "{}", imported.markdown);
        for page in [
            "",
            "<",
            "<table><tr></tr></table>",
            "<td>x</td>",
            "&nbsp;&amp;&#12345;",
        ] {
            import_html(page);
        }
    }

    #[test]
    fn spans() {
        let doc =
            Html::parse_fragment(r#"<table><tr><td colspan=" 3x" rowspan="0">a</td></tr></table>"#);
        let td = doc
            .root_element()
            .descendent_elements()
            .find(|e| e.value().name() == "td")
            .unwrap();
        assert_eq!(span(td.value(), "colspan"), 3);
        assert_eq!(span(td.value(), "rowspan"), 0);
    }
}
