//! S011: a section does not mention a topic the format asks for (the five areas of 总体情况).

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S011",
    name: "overview-topic-missing",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "总体情况没有涉及格式要求的某个方面",
        "The overview does not cover one of the areas the format asks for",
    ),
    why: Text::new(
        "2021 年版格式要求总体情况涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面。",
        "The 2021 format asks the overview to cover proactive disclosure, disclosure on application, information management, platforms, and oversight.",
    ),
    example: "一、总体情况\n（一）主动公开……\n（二）依申请公开……",
    fix_note: Text::new("无自动修复：请补写缺少的方面。", "No fix: write about the missing area."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for s in &ctx.report.sections {
        let spec = &ctx.profile.sections[s.spec];
        if spec.must_mention.is_empty() {
            continue;
        }
        let body = ctx.slice(s.body);
        let missing: Vec<&str> = spec
            .must_mention
            .iter()
            .filter(|m| !m.any.iter().any(|w| body.contains(w.as_str())))
            .map(|m| m.name.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        let heading = ctx.section_heading(s.spec);
        let list = missing.join("、");
        let message = tr!(
            ctx.lang,
            "「{heading}」没有涉及：{list}",
            "“{heading}” does not cover: {list}"
        );
        acc.push(ctx.diag(&META, s.heading, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn missing_areas() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开。正文。\n（二）依申请公开。正文。\n二、主动公开政府信息情况\n";
        insta::assert_snapshot!(check_rule("S011", text), @"2:1 warning 「一、总体情况」没有涉及：政府信息管理、政府信息公开平台建设、监督保障");
    }
}
