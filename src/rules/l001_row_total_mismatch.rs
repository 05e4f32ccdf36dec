//! L001: a row's total differs from the sum of its columns.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "L001",
    name: "row-total-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new("某行的「总计」不等于各列之和", "A row's total differs from the sum of its columns"),
    why: Text::new(
        "表三每一行的「总计」应等于自然人和五类法人或其他组织之和；不相等说明某一格填错。",
        "In table 三 each row's total equals natural persons plus the five kinds of organisations; a difference means a cell is wrong.",
    ),
    example: "一、本年新收政府信息公开申请数量\t34\t10\t0\t4\t0\t4\t53",
    fix_note: Text::new("将总计改为各列之和（需确认：也可能是某一列填错）。", "Sets the total to the sum (unsafe: a column may be the wrong number instead)."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::ledger::report_broken(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, check_rule_en, clean_report, set_row};

    #[test]
    fn row_total() {
        let text = set_row(
            &clean_report(Flavour::Plain),
            "一、本年新收政府信息公开申请数量",
            "34 10 0 4 0 4 53",
        );
        insta::assert_snapshot!(check_rule("L001", &text), @"
        49:32 error 「一、本年新收政府信息公开申请数量」行总计为 53，各列之和为 52（34+10+0+4+0+4）
          fix (unsafe): 将合计改为 52
          -一、本年新收政府信息公开申请数量	34	10	0	4	0	4	53
          +一、本年新收政府信息公开申请数量	34	10	0	4	0	4	52
        ");
        insta::assert_snapshot!(check_rule_en("L001", &text), @"
        49:32 error “一、本年新收政府信息公开申请数量”: 总计 is 53, but the columns add up to 52 (34+10+0+4+0+4)
          fix (unsafe): Set the total to 52
          -一、本年新收政府信息公开申请数量	34	10	0	4	0	4	53
          +一、本年新收政府信息公开申请数量	34	10	0	4	0	4	52
        ");
    }
}
