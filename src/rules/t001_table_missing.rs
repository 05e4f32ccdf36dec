//! T001: a section that must hold a table has none.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::Table;
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
        let nl = ctx.newline();
        let table = skeleton(ctx).table(t, None);
        let fix = Fix::unsafe_(
            tr!(ctx.lang, "插入表格骨架", "Insert the table skeleton"),
            vec![TextEdit::insert(
                section.heading.end,
                format!("{nl}{nl}{}", table.trim_end()),
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
    let range = whole_lines(ctx.text, table.range);
    let new = skeleton(ctx).table(table.spec, Some(table));
    Some(Fix::unsafe_(
        tr!(
            ctx.lang,
            "按格式重写此表（保留已读出的数字）",
            "Rewrite the table in the format's shape (keeping the numbers read)"
        ),
        vec![TextEdit::replace(range, new.trim_end().to_string())],
    ))
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
