//! S002: the title has no year.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S002",
    name: "title-year-missing",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new("标题没有写明报告年度", "The title does not give the report year"),
    why: Text::new(
        "报告年度决定统计期限和适用的格式版本（2019—2020 年度用 2019 年版，2021 年度起用 2021 年版）。",
        "The year fixes the statistics period and the edition of the format (2019 edition for 2019–2020, 2021 edition from 2021).",
    ),
    example: "某县政府信息公开工作年度报告",
    fix_note: Text::new("无自动修复：请在标题中写明年度。", "No fix: write the year into the title."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let Some(title) = &ctx.report.title else {
        return;
    };
    if title.year.is_some() {
        return;
    }
    let suffix = &ctx.profile.title.suffix;
    let message = tr!(
        ctx.lang,
        "标题没有写明年度，应为「<机关名称><年份>年{suffix}」",
        "The title gives no year; it should read “<agency><year>年{suffix}”",
    );
    acc.push(ctx.diag(&META, title.range, message));
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn title_without_year() {
        insta::assert_snapshot!(check_rule("S002", "某县政府信息公开工作年度报告\n一、总体情况\n"), @"1:1 error 标题没有写明年度，应为「<机关名称><年份>年政府信息公开工作年度报告」");
        assert_eq!(
            check_rule("S002", "某县2021年政府信息公开工作年度报告\n一、总体情况\n"),
            ""
        );
    }
}
