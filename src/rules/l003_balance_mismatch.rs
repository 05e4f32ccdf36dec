//! L003: the table does not balance: items 1 + 2 differ from items 3 + 4.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "L003",
    name: "balance-mismatch",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new("违反勾稽关系：第一项加第二项之和不等于第三项加第四项之和", "The table does not balance: items 1 + 2 differ from items 3 + 4"),
    why: Text::new(
        "表三注明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”，每一列都必须成立：新收加结转等于办结加结转下年。",
        "Table 三 states that in every column new plus carried-over applications equal those handled plus those carried into next year.",
    ),
    example: "一、本年新收…\t53 / 二、上年结转…\t4 / （七）总计\t56 / 四、结转下年度继续办理\t0",
    fix_note: Text::new("无自动修复：不能判断哪一项有误。", "No fix: it cannot tell which item is wrong."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::ledger::report_broken(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report, set_row};

    #[test]
    fn unbalanced_column() {
        let text = set_row(
            &clean_report(Flavour::Plain),
            "一、本年新收政府信息公开申请数量",
            "2 0 0 0 0 0 2",
        );
        insta::assert_snapshot!(check_rule("L003", &text), @"
        49:18 error 「自然人」列：第一项加第二项之和为 2（2+0），第三项加第四项之和为 0（0+0），两者应相等
        49:30 error 「总计」列：第一项加第二项之和为 2（2+0），第三项加第四项之和为 0（0+0），两者应相等
        ");
    }
}
