//! L005: last year's items plus this year's change is negative (2019 format).

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "L005",
    name: "negative-project-count",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new("上一年项目数量加本年增/减为负数（2019 年版格式）", "Last year's items plus this year's change is negative (2019 format)"),
    why: Text::new(
        "2019 年版格式中，本年项目数为上一年项目数量加本年增/减，不可能小于 0。",
        "In the 2019 format this year's items are last year's plus the change, which cannot be below zero.",
    ),
    example: "行政许可\t3\t-5\t6",
    fix_note: Text::new("无自动修复。", "No fix."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::ledger::report_broken(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn negative_items() {
        let text = "某县2020年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t3\t-5\t6\n";
        insta::assert_snapshot!(check_rule("L005", text), @"5:6 warning 「行政许可」：上一年项目数量加本年增/减为 -2（3+(-5)），不应小于 0");
    }
}
