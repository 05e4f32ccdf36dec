//! S001: the report has no title.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::lang::Text;
use crate::template::Skeleton;
use crate::text::{TextEdit, TextRange};
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S001",
    name: "title-missing",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "报告没有标题（<机关名称><年份>年政府信息公开工作年度报告）",
        "The report has no title (<agency><year>年政府信息公开工作年度报告)",
    ),
    why: Text::new(
        "标题写明发布机关和报告年度，读者和审核人员据此识别报告；年度还决定适用哪一版报告格式。",
        "The title names the agency and the report year: readers and reviewers identify the report by it, and the year decides which edition of the format applies.",
    ),
    example: "一、总体情况\n2020年，我局……",
    fix_note: Text::new(
        "插入标题行（需确认）：机关名称是占位符，必须替换。",
        "Inserts a title line (unsafe): the agency is a placeholder that must be replaced.",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    if report.title.is_some() {
        return;
    }
    // Only the first report of a document can lack a title: later ones start at their title.
    if ctx.index != 0 {
        return;
    }
    let first_line = first_content_line(ctx.text, report.range);
    let example = Skeleton {
        profile: ctx.profile,
        flavour: ctx.flavour,
        newline: ctx.newline(),
        heading_level: None,
    }
    .title(ctx.year(), None);
    let message = tr!(
        ctx.lang,
        "报告缺少标题：应以「{example}」这样的标题开头",
        "The report has no title: it should start with a title such as “{example}”"
    );
    let d = ctx.diag(&META, first_line, message);
    // With no section either, S004 offers the whole skeleton, title included.
    if report.sections.is_empty() {
        acc.push(d);
        return;
    }
    let nl = ctx.newline();
    let insert = format!("{example}{nl}{nl}");
    let fix = Fix::unsafe_(
        tr!(ctx.lang, "插入标题", "Insert a title"),
        vec![TextEdit::insert(report.range.start, insert)],
    );
    acc.push(d.with_fix(fix));
}

/// The first non-empty line of a range, or the empty range at its start.
pub(crate) fn first_content_line(text: &str, range: TextRange) -> TextRange {
    let s = &text[range.as_range()];
    let lead = s.len() - s.trim_start().len();
    let rest = &s[lead..];
    let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
    TextRange::new(range.start + lead, range.start + lead + len)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn missing_title() {
        insta::assert_snapshot!(check_rule("S001", "一、总体情况\n截至2020年12月31日，我局主动公开信息。\n"), @"
        1:1 error 报告缺少标题：应以「（机关名称）2020年政府信息公开工作年度报告」这样的标题开头
          fix (unsafe): 插入标题
          -一、总体情况
          +（机关名称）2020年政府信息公开工作年度报告
          +
          +一、总体情况
        ");
    }

    #[test]
    fn title_present() {
        assert_eq!(
            check_rule("S001", "某县2021年政府信息公开工作年度报告\n一、总体情况\n"),
            ""
        );
    }
}
