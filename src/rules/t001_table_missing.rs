//! T001: a section that must hold a table has none.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{Shape, Table};
use crate::lang::Text;
use crate::template::Skeleton;
use crate::text::{TextEdit, TextRange};
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T001",
    name: "table-missing",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "第二、三、四部分缺少规定的统计表",
        "Section 二, 三 or 四 lacks its table",
    ),
    why: Text::new(
        "统计表是年度报告的核心数据，各部分必须以格式规定的表格填报；只写标题没有表格的报告会被退回。",
        "The tables carry the report's figures and must follow the format; a section with only a heading gets the report sent back.",
    ),
    example: "三、收到和处理政府信息公开申请情况\n本年度共收到申请12件。",
    fix_note: Text::new(
        "在标题后插入全为 0 的表格骨架（需确认）。",
        "Inserts the table skeleton, all zeros, after the heading (unsafe).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    for (spec_idx, spec) in ctx.profile.sections.iter().enumerate() {
        let Some(table_id) = &spec.table else {
            continue;
        };
        let Some(t) = ctx.profile.table(table_id) else {
            continue;
        };
        let Some(section) = report.section(spec_idx) else {
            continue;
        };
        if report.table(t).is_some() {
            continue;
        }
        let heading = ctx.section_heading(spec_idx);
        let name = ctx.profile.tables[t].display_name(ctx.lang).to_string();
        let message = tr!(
            ctx.lang,
            "「{heading}」部分缺少「{name}」",
            "Section “{heading}” has no table ({name})"
        );
        let table = skeleton(ctx).table(t, None);
        let at = section.heading.end;
        let fix = Fix::unsafe_(
            tr!(ctx.lang, "插入表格骨架", "Insert the table skeleton"),
            vec![TextEdit::insert(
                at,
                set_apart(ctx, TextRange::new(at, at), table.trim_end()),
            )],
        );
        acc.push(ctx.diag(&META, section.heading, message).with_fix(fix));
    }
}

pub(crate) fn skeleton<'a>(ctx: &'a Ctx) -> Skeleton<'a> {
    Skeleton {
        profile: ctx.profile,
        flavour: ctx.flavour,
        newline: ctx.newline(),
        heading_level: super::s004_section_missing::common_level(ctx),
    }
}

/// Replaces a malformed table with a well-formed one that keeps every number read (unsafe).
/// Not offered for a table read from several pieces: the text between them would be lost.
pub(crate) fn rewrite_fix(ctx: &Ctx, table: &Table) -> Option<Fix> {
    if table.pieces != 1 {
        return None;
    }
    let mut range = whole_lines(ctx.text, table.range);
    if table.shape == Shape::Html {
        range = html_wrapper(ctx.text, range);
    }
    let new = skeleton(ctx).table(table.spec, Some(table));
    Some(Fix::unsafe_(
        tr!(
            ctx.lang,
            "按格式重写此表（保留已读出的数字）",
            "Rewrite the table in the format's shape (keeping the numbers read)"
        ),
        vec![TextEdit::replace(
            range,
            set_apart(ctx, range, new.trim_end()),
        )],
    ))
}

/// `block`, which replaces the whole lines at `range`, with a blank line on each side where the
/// text next to it is not blank: a table runs on into the next line that is not blank (in
/// Markdown, and when reportlint reads it), and a pipe table may not start inside a paragraph.
fn set_apart(ctx: &Ctx, range: TextRange, block: &str) -> String {
    let nl = ctx.newline();
    let after = ctx.text[range.end..].trim_start_matches([' ', '\t']);
    let mut out = super::s004_section_missing::blank_line_after(&ctx.text[..range.start], nl);
    out.push_str(block);
    let rest = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix(['\n', '\r']));
    match rest {
        // The block ends the text, or a blank line follows it already.
        None if after.is_empty() => {}
        Some(rest) if rest.trim_start_matches([' ', '\t']).is_empty() => {}
        Some(rest)
            if rest
                .trim_start_matches([' ', '\t'])
                .starts_with(['\n', '\r']) => {}
        Some(_) => out.push_str(nl),
        // Text on the same line after the block.
        None => {
            out.push_str(nl);
            out.push_str(nl);
        }
    }
    out
}

/// Widens the `<tr>` lines of an HTML table over the lines of table tags around them
/// (`<table>`, `<tbody>`, `<colgroup>` … `</table>`), so that a rewrite leaves no wrapper behind:
/// an open `<table>` or `<tbody>` would swallow the new table.
fn html_wrapper(text: &str, range: TextRange) -> TextRange {
    const TAGS: [&str; 7] = [
        "table", "tbody", "thead", "tfoot", "colgroup", "col", "caption",
    ];
    let tag = |line: &str, closing: bool| {
        let t = line.trim_start();
        let t = if closing {
            t.strip_prefix("</")
        } else {
            t.strip_prefix('<')
        };
        t.is_some_and(|t| {
            TAGS.iter().any(|name| {
                t.strip_prefix(name)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['>', ' ', '/']))
            })
        })
    };
    let mut out = range;
    // Backwards over opening tags (and closings other than the table's, `</colgroup>`).
    while out.start > 0 {
        let prev = whole_lines(text, TextRange::new(out.start - 1, out.start - 1));
        let line = &text[prev.start..prev.end];
        let table_end = line.trim_start().starts_with("</table");
        if table_end || !(tag(line, false) || tag(line, true)) {
            break;
        }
        out.start = prev.start;
    }
    // Forwards over closing tags, to the table's end.
    while out.end < text.len() {
        let next_start = out.end
            + if text[out.end..].starts_with("\r\n") {
                2
            } else {
                1
            };
        let next = whole_lines(text, TextRange::new(next_start, next_start));
        let line = &text[next.start..next.end];
        if !tag(line, true) {
            break;
        }
        out.end = next.end;
        if line.trim_start().starts_with("</table") {
            break;
        }
    }
    out
}

/// Widens a range to the start of its first line and the end of its last (terminator excluded).
fn whole_lines(text: &str, r: TextRange) -> TextRange {
    let start = text[..r.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[r.end..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| r.end + i);
    TextRange::new(start, end)
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, check_rule_md, clean_report};

    #[test]
    fn section_without_table() {
        let text = "某县2021年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议、行政诉讼。\n";
        insta::assert_snapshot!(check_rule("T001", text), @"
        2:1 error 「四、政府信息公开行政复议、行政诉讼情况」部分缺少「政府信息公开行政复议、行政诉讼情况表」
          fix (unsafe): 插入表格骨架
          -四、政府信息公开行政复议、行政诉讼情况
          +四、政府信息公开行政复议、行政诉讼情况
          +
          +行政复议					行政诉讼									
          +结果维持	结果纠正	其他结果	尚未审结	总计	未经复议直接起诉					复议后起诉				
          +					结果维持	结果纠正	其他结果	尚未审结	总计	结果维持	结果纠正	其他结果	尚未审结	总计
          +0	0	0	0	0	0	0	0	0	0	0	0	0	0	0
          +
        ");
        insta::assert_snapshot!(check_rule_md("T001", "# 某县2021年政府信息公开工作年度报告\n\n## 四、政府信息公开行政复议、行政诉讼情况\n"), @"
        3:1 error 「四、政府信息公开行政复议、行政诉讼情况」部分缺少「政府信息公开行政复议、行政诉讼情况表」
          fix (unsafe): 插入表格骨架
          -## 四、政府信息公开行政复议、行政诉讼情况
          +## 四、政府信息公开行政复议、行政诉讼情况
          +
          +| 行政复议 |  |  |  |  | 行政诉讼 |  |  |  |  |  |  |  |  |  |
          +| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
          +| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |  |  |  |  |
          +|  |  |  |  |  | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
          +| 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
        ");
        assert_eq!(check_rule("T001", &clean_report(Flavour::Plain)), "");
    }
}
