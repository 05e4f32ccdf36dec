//! S005: sections are not in the order of the format.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S005",
    name: "section-out-of-order",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new("各部分的顺序与格式不一致", "Sections are not in the format's order"),
    why: Text::new(
        "格式规定了六个部分的顺序，便于逐份对照和汇总；顺序错乱通常说明内容被误放。",
        "The format fixes the order of the six sections so reports can be compared and compiled; a section out of place usually means content in the wrong place.",
    ),
    example: "一、总体情况\n三、收到和处理政府信息公开申请情况\n二、主动公开政府信息情况",
    fix_note: Text::new("无自动修复：请移动该部分。", "No fix: move the section."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let mut firsts: Vec<&crate::document::Section> = Vec::new();
    for s in &ctx.report.sections {
        if !firsts.iter().any(|f| f.spec == s.spec) {
            firsts.push(s);
        }
    }
    for (i, s) in firsts.iter().enumerate() {
        let Some(later) = firsts[..i].iter().find(|p| p.spec > s.spec) else {
            continue;
        };
        let this = ctx.section_heading(s.spec);
        let other = ctx.section_heading(later.spec);
        let message = tr!(
            ctx.lang,
            "「{this}」应位于「{other}」之前",
            "“{this}” should come before “{other}”"
        );
        let note = tr!(ctx.lang, "「{other}」在此", "“{other}” is here");
        acc.push(
            ctx.diag(&META, s.heading, message)
                .with_related(later.heading, note),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn swapped_sections() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n三、收到和处理政府信息公开申请情况\n二、主动公开政府信息情况\n";
        insta::assert_snapshot!(check_rule("S005", text), @"4:1 error 「二、主动公开政府信息情况」应位于「三、收到和处理政府信息公开申请情况」之前");
    }
}
