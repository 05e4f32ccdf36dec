//! S004: one of the sections the format requires is missing.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::lang::Text;
use crate::template::Skeleton;
use crate::text::{TextEdit, TextRange};
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S004",
    name: "section-missing",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "缺少格式规定的部分（一至六）",
        "A section the format requires (一 to 六) is missing",
    ),
    why: Text::new(
        "《条例》第五十条规定了年度报告的内容，格式通知要求“不能遗漏”；缺少的部分会被审核退回。",
        "Article 50 of the Regulations fixes what a report contains and the format notice says nothing may be left out; a missing section gets the report sent back.",
    ),
    example: "一、总体情况\n……\n二、主动公开政府信息情况\n……\n四、政府信息公开行政复议、行政诉讼情况",
    fix_note: Text::new(
        "在应有的位置插入该部分的标题和表格骨架（需确认：表格全为 0，正文是占位符）。",
        "Inserts the section's heading and table skeleton where it belongs (unsafe: the table is all zeros and the text a placeholder).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    let sections = &ctx.profile.sections;
    let missing: Vec<usize> = (0..sections.len())
        .filter(|&i| report.section(i).is_none())
        .collect();
    if missing.is_empty() {
        return;
    }
    let skeleton = Skeleton {
        profile: ctx.profile,
        flavour: ctx.flavour,
        newline: ctx.newline(),
        heading_level: common_level(ctx),
    };
    if missing.len() == sections.len() {
        // Nothing of the report yet: offer the whole skeleton at once.
        let year = ctx.year();
        let at = report.body_start();
        let mut insert = String::new();
        if report.title.is_none() {
            insert.push_str(&skeleton.title(year, None));
            insert.push_str(&format!("{nl}{nl}", nl = ctx.newline()));
        }
        // The tables the draft has already stay; the skeleton brings the others.
        insert.push_str(&skeleton.body_with(year, None, |t| report.table(t).is_none()));
        let insert = separate(ctx, at, insert);
        let message = tr!(
            ctx.lang,
            "报告缺少全部{n}个部分（一、总体情况 至 六、其他需要报告的事项）",
            "The report has none of the {n} sections (一、总体情况 to 六、其他需要报告的事项)",
            n = sections.len()
        );
        let range = super::s001_title_missing::first_content_line(ctx.text, report.range);
        let fix = Fix::unsafe_(
            tr!(
                ctx.lang,
                "插入完整的报告骨架",
                "Insert a complete report skeleton"
            ),
            vec![TextEdit::insert(at, insert)],
        );
        acc.push(ctx.diag(&META, range, message).with_fix(fix));
        return;
    }
    for &spec in &missing {
        let heading = ctx.section_heading(spec);
        let (at, anchor) = insertion_point(ctx, spec);
        let message = tr!(
            ctx.lang,
            "缺少「{heading}」部分",
            "Section “{heading}” is missing"
        );
        let insert = match present_table(ctx, spec, at) {
            // Only the heading is missing: it goes above the section's table, which stays.
            Some(table_line) => {
                let nl = ctx.newline();
                let insert = format!("{}{nl}{nl}", skeleton.heading(spec));
                (table_line, separate(ctx, table_line, insert))
            }
            None => {
                let has_table = ctx.profile.sections[spec]
                    .table
                    .as_deref()
                    .and_then(|id| ctx.profile.table(id))
                    .is_some_and(|t| ctx.report.table(t).is_some());
                (at, separate(ctx, at, skeleton.section(spec, !has_table)))
            }
        };
        let (at, insert) = insert;
        let fix = Fix::unsafe_(
            tr!(
                ctx.lang,
                "插入「{heading}」及其骨架",
                "Insert “{heading}” with its skeleton"
            ),
            vec![TextEdit::insert(at, insert)],
        );
        acc.push(ctx.diag(&META, anchor, message).with_fix(fix));
    }
}

/// The start of the line where the section's table begins, when the report has that table
/// where the section belongs: after the section before it and before the point `at` where the
/// section would be inserted (a table read under the previous heading, the heading lost).
fn present_table(ctx: &Ctx, spec: usize, at: usize) -> Option<usize> {
    let id = ctx.profile.sections[spec].table.as_deref()?;
    let table = ctx.report.table(ctx.profile.table(id)?)?;
    let prev_end = (0..spec)
        .rev()
        .find_map(|s| ctx.report.section(s))
        .map_or(ctx.report.body_start(), |p| p.heading.end);
    let line = ctx.text[..table.range.start]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    (line >= prev_end && table.range.end <= at).then_some(line)
}

/// Where a missing section goes (before the next section present, in format order, or at the
/// report's end), and the heading to attach the finding to.
fn insertion_point(ctx: &Ctx, spec: usize) -> (usize, TextRange) {
    let report = ctx.report;
    let next = (spec + 1..ctx.profile.sections.len()).find_map(|s| report.section(s));
    if let Some(next) = next {
        return (next.heading.start, next.heading);
    }
    let prev = (0..spec).rev().find_map(|s| report.section(s));
    let anchor = prev.map_or_else(
        || super::s001_title_missing::first_content_line(ctx.text, report.range),
        |p| p.heading,
    );
    (report.range.end, anchor)
}

/// Puts a blank line between inserted text and what comes before it, and closes a code fence
/// left open before it (else the inserted text would be code, and still missing).
pub(crate) fn separate(ctx: &Ctx, at: usize, insert: String) -> String {
    let before = &ctx.text[..at];
    let nl = ctx.newline();
    if let Some(fence) = open_fence(before) {
        let lead = if before.is_empty() || before.ends_with(['\n', '\r']) {
            ""
        } else {
            nl
        };
        return format!("{lead}{fence}{nl}{nl}{insert}");
    }
    format!("{}{insert}", blank_line_after(before, nl))
}

/// The line breaks that make a blank line between `before` and text inserted after it: none
/// at the start or after a blank line, one after a line's end, two inside a line.
pub(crate) fn blank_line_after(before: &str, nl: &str) -> String {
    let before = before.trim_end_matches([' ', '\t']);
    if before.is_empty() || before.ends_with("\n\n") || before.ends_with("\r\n\r\n") {
        String::new()
    } else if before.ends_with(['\n', '\r']) {
        nl.to_string()
    } else {
        format!("{nl}{nl}")
    }
}

/// The marker of a code fence opened in `text` and not closed (the reader hides what follows).
fn open_fence(text: &str) -> Option<&str> {
    let mut open = None;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            open = match open {
                Some(_) => None,
                None => Some(&t[..3]),
            };
        }
    }
    open
}

/// The Markdown level most sections use, if they use one.
pub(crate) fn common_level(ctx: &Ctx) -> Option<u8> {
    let mut counts: Vec<(Option<u8>, usize)> = Vec::new();
    for s in &ctx.report.sections {
        match counts.iter_mut().find(|(l, _)| *l == s.md_level) {
            Some((_, n)) => *n += 1,
            None => counts.push((s.md_level, 1)),
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).and_then(|(l, _)| *l)
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, check_rule_md, clean_report};

    #[test]
    fn one_missing_section_in_plain_text() {
        let text = clean_report(Flavour::Plain);
        let start = text.find("五、存在的主要问题及改进情况").unwrap();
        let end = text.find("六、其他需要报告的事项").unwrap();
        let text = format!("{}{}", &text[..start], &text[end..]);
        insta::assert_snapshot!(check_rule("S004", &text), @"
        82:1 error 缺少「五、存在的主要问题及改进情况」部分
          fix (unsafe): 插入「五、存在的主要问题及改进情况」及其骨架
          -六、其他需要报告的事项
          +五、存在的主要问题及改进情况
          +
          +（一）存在的主要问题
          +
          +（在此填写本年度工作存在的主要问题。）
          +
          +（二）改进情况
          +
          +（在此填写改进措施及上年度问题的整改情况。）
          +
          +六、其他需要报告的事项
        ");
    }

    #[test]
    fn empty_markdown_document() {
        let out = check_rule_md("S004", "");
        assert!(out.contains("插入完整的报告骨架"), "{out}");
    }

    #[test]
    fn complete_report() {
        assert_eq!(check_rule("S004", &clean_report(Flavour::Plain)), "");
    }
}
