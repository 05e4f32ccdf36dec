//! L002: a results total differs from the sum of the results.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "L002",
    name: "column-total-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new("「（七）总计」不等于各办理结果之和", "A results total differs from the sum of the results"),
    why: Text::new(
        "每件申请只计入一种办理结果，所以每一列的「（七）总计」等于（一）至（六）各项之和。",
        "Each application counts under exactly one result, so in every column （七）总计 equals the sum of （一） to （六）.",
    ),
    example: "（七）总计\t14\t0\t0\t0\t0\t0\t14（而（一）至（六）的自然人列全为 0）",
    fix_note: Text::new("将总计改为各项之和（需确认：也可能是某一项填错）。", "Sets the total to the sum (unsafe: an item may be the wrong number instead)."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::ledger::report_broken(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report, set_row};

    #[test]
    fn column_total() {
        let text = set_row(
            &clean_report(Flavour::Plain),
            "（七）总计",
            "14 0 0 0 0 0 14",
        );
        insta::assert_snapshot!(check_rule("L002", &text), @"
        72:8 error 「（七）总计」自然人列为 14，各项之和为 0（0+0+…+0）
          fix (unsafe): 将合计改为 0
          -	（七）总计	14	0	0	0	0	0	14
          +	（七）总计	0	0	0	0	0	0	14
        72:21 error 「（七）总计」总计列为 14，各项之和为 0（0+0+…+0）
          fix (unsafe): 将合计改为 0
          -	（七）总计	14	0	0	0	0	0	14
          +	（七）总计	14	0	0	0	0	0	0
        ");
    }
}
