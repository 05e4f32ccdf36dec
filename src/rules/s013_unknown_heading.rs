//! S013: a numbered heading stands where a section of the format should be, but is not it.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S013",
    name: "unknown-section-heading",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "有序号的标题不是格式规定的部分",
        "A numbered heading is not one of the format's sections",
    ),
    why: Text::new(
        "格式只规定六个部分；自拟标题占用了规定部分的序号时，规定的内容往往缺失或被改写。",
        "The format has six sections; a heading of one's own in a section's place usually means that section is missing or rewritten.",
    ),
    example: "五、工作亮点",
    fix_note: Text::new("无自动修复。", "No fix."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    let count = ctx.profile.sections.len() as u32;
    for h in &report.unknown_headings {
        let Some(n) = h.number else {
            continue;
        };
        if n == 0 || n > count {
            continue;
        }
        let slot_taken = report
            .sections
            .iter()
            .any(|s| s.number.map(|x| x.0) == Some(n));
        if slot_taken {
            continue;
        }
        let expected = ctx.section_heading(n as usize - 1);
        let title = &h.title;
        let message = tr!(
            ctx.lang,
            "「{title}」不是格式规定的部分；此序号应为「{expected}」",
            "“{title}” is not a section of the format; this number belongs to “{expected}”"
        );
        acc.push(ctx.diag(&META, h.range, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn heading_of_ones_own() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n二、工作亮点\n";
        insta::assert_snapshot!(check_rule("S013", text), @"3:1 warning 「工作亮点」不是格式规定的部分；此序号应为「二、主动公开政府信息情况」");
    }
}
