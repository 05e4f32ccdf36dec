//! S006: a section appears twice.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S006",
    name: "section-duplicated",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new("同一部分出现了两次", "A section appears more than once"),
    why: Text::new(
        "重复的部分往往是复制粘贴时留下的旧内容，两处数字可能互相矛盾。",
        "A repeated section is usually left over from copying and pasting; the two copies may contradict each other.",
    ),
    example: "一、总体情况\n……\n一、总体情况",
    fix_note: Text::new("无自动修复：请合并或删除重复部分。", "No fix: merge or delete the copy."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let sections = &ctx.report.sections;
    for (i, s) in sections.iter().enumerate() {
        let Some(first) = sections[..i].iter().find(|p| p.spec == s.spec) else {
            continue;
        };
        let heading = ctx.section_heading(s.spec);
        let message = tr!(
            ctx.lang,
            "「{heading}」重复出现",
            "“{heading}” appears again"
        );
        let note = tr!(ctx.lang, "第一次出现在此", "first appears here");
        acc.push(
            ctx.diag(&META, s.heading, message)
                .with_related(first.heading, note),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn repeated_section() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n正文。\n一、总体情况\n";
        insta::assert_snapshot!(check_rule("S006", text), @"4:1 error 「一、总体情况」重复出现");
    }
}
