//! S003: the title does not name the agency, or names it only by a nickname.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::normalize::normalize;
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S003",
    name: "title-agency-unclear",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "标题没有写明发布机关，或只写了「政府办」之类的简称",
        "The title does not name the agency, or only by a nickname such as 政府办",
    ),
    why: Text::new(
        "报告要在政府网站上长期公开，只写「政府办」「我局」的标题无法看出是哪个机关的报告。",
        "Reports stay published for years; a title that says only 政府办 or 我局 does not tell whose report it is.",
    ),
    example: "# 政府办2021年政府信息公开工作年度报告",
    fix_note: Text::new("无自动修复：请写出机关全称。", "No fix: write the agency's full name."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let Some(title) = &ctx.report.title else {
        return;
    };
    let Some((_, year_range)) = title.year else {
        return;
    };
    match &title.agency {
        None => {
            let message = tr!(
                ctx.lang,
                "标题在年份前没有写明发布机关",
                "The title names no agency before the year"
            );
            acc.push(ctx.diag(&META, year_range, message));
        }
        Some(agency) => {
            let name = normalize(&agency.name);
            let generic = ctx
                .profile
                .title
                .generic_agencies
                .iter()
                .any(|g| normalize(g) == name);
            if generic || name.chars().count() < 2 {
                let shown = &agency.name;
                let message = tr!(
                    ctx.lang,
                    "标题中的「{shown}」不足以识别发布机关，请写明机关全称（如「某某县人民政府办公室」）",
                    "“{shown}” in the title does not identify the agency; write its full name (such as 某某县人民政府办公室)"
                );
                acc.push(ctx.diag(&META, agency.range, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn nickname_and_missing_agency() {
        insta::assert_snapshot!(check_rule("S003", "# 政府办2021年政府信息公开工作年度报告\n## 一、总体情况\n"), @"1:3 warning 标题中的「政府办」不足以识别发布机关，请写明机关全称（如「某某县人民政府办公室」）");
        insta::assert_snapshot!(check_rule("S003", "2021年政府信息公开工作年度报告\n一、总体情况\n"), @"1:1 warning 标题在年份前没有写明发布机关");
        assert_eq!(
            check_rule(
                "S003",
                "某县人民政府办公室2021年政府信息公开工作年度报告\n一、总体情况\n"
            ),
            ""
        );
    }
}
