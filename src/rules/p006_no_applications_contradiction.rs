//! P006: the text says no applications were received, but table 三 has some.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P006",
    name: "no-applications-contradiction",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new(
        "正文说未收到申请，表三却有新收申请",
        "The text says no applications were received, but table 三 has some",
    ),
    why: Text::new(
        "“未收到政府信息公开申请”与表三本年新收申请数必须一致。",
        "“No applications received” must agree with table 三's new applications.",
    ),
    example: "今年以来，我单位未收到政府信息公开申请。（表三本年新收3件）",
    fix_note: Text::new("无自动修复。", "No fix."),
};

/// The claims are the profile's (`claims` with `"rule": "P006"`).
pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::prose::report_claims(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report, set_row};

    #[test]
    fn said_none() {
        let text = set_row(
            &clean_report(Flavour::Plain).replace(
                "（在此填写本年度依申请公开工作情况。）",
                "今年以来，我单位未收到政府信息公开申请。",
            ),
            "一、本年新收政府信息公开申请数量",
            "3 0 0 0 0 0 3",
        );
        insta::assert_snapshot!(check_rule("P006", &text), @"13:9 error 文中「未收到政府信息公开申请」与表格不符：表中本年新收申请数为 3");
    }
}
