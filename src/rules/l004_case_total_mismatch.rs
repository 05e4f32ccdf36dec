//! L004: a review or lawsuit total differs from the sum of its results.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "L004",
    name: "case-total-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new("行政复议或行政诉讼的「总计」不等于各结果之和", "A review or lawsuit total differs from the sum of its results"),
    why: Text::new(
        "表四的行政复议、未经复议直接起诉、复议后起诉各有一个「总计」，分别等于结果维持、结果纠正、其他结果、尚未审结之和。",
        "Table 四 has three totals (reviews, lawsuits without review, lawsuits after review), each the sum of upheld, corrected, other and pending.",
    ),
    example: "4\t0\t1\t0\t4（结果维持4、其他结果1，总计却为4）",
    fix_note: Text::new("将总计改为各项之和（需确认）。", "Sets the total to the sum (unsafe)."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::ledger::report_broken(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn review_total() {
        let text = clean_report(Flavour::Plain).replace(
            "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
            "4\t0\t1\t0\t4\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
        );
        insta::assert_snapshot!(check_rule("L004", &text), @"
        80:9 error 「行政复议·总计」为 4，各列之和为 5（4+0+1+0）
          fix (unsafe): 将合计改为 5
          -4	0	1	0	4	0	0	0	0	0	0	0	0	0	0
          +4	0	1	0	5	0	0	0	0	0	0	0	0	0	0
        ");
    }
}
