//! P008: the text says no fee notices were sent, but table 三 has applications dropped for unpaid fees.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P008",
    name: "fee-statement-contradiction",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new("正文说未发出收费通知，表三却有因逾期未缴费而不再处理的申请", "The text says no fee notices were sent, but table 三 has applications dropped for unpaid fees"),
    why: Text::new(
        "表三「申请人逾期未按收费通知要求缴纳费用」一行不为 0，说明发出过收费通知。",
        "A non-zero row for applications dropped because a fee notice went unpaid means fee notices were sent.",
    ),
    example: "本年度未发出收费通知。（表三该行为1件）",
    fix_note: Text::new("无自动修复。", "No fix."),
};

/// The claims are the profile's (`claims` with `"rule": "P008"`).
pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::prose::report_claims(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report, set_row};

    #[test]
    fn fee_notice() {
        let text = set_row(
            &clean_report(Flavour::Plain).replace(
                "（在此填写信息处理费收取情况及其他需要报告的事项。）",
                "本年度未发出收费通知，未收取信息处理费。",
            ),
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "1 0 0 0 0 0 1",
        );
        insta::assert_snapshot!(check_rule("P008", &text), @"94:4 warning 文中「未发出收费通知」与表格不符：表中逾期未缴费不再处理数为 1");
    }
}
