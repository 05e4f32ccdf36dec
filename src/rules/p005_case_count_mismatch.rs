//! P005: reviews and lawsuits in the text contradict table 四.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P005",
    name: "case-count-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new("正文中的行政复议、行政诉讼情况与表四不符", "Reviews and lawsuits in the text contradict table 四"),
    why: Text::new(
        "正文说“未发生行政复议、行政诉讼”或“无败诉”，表四就必须相应为 0；件数也必须与表四的总计一致。",
        "If the text says there were no reviews or lawsuits, or none lost, table 四 must show zeros; counts must match its totals.",
    ),
    example: "因政府信息公开引起的行政复议和行政诉讼5件，无败诉案件。（表四行政诉讼结果纠正1件）",
    fix_note: Text::new("只有一个对应数字时，可将正文改为表中数字（需确认）。", "Where one table figure applies, can change the text to it (unsafe)."),
};

/// The claims are the profile's (`claims` with `"rule": "P005"`).
pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::prose::report_claims(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn no_lawsuits_said_but_table_has_one() {
        let text = clean_report(Flavour::Plain)
            .replace(
                "（在此填写本年度监督保障工作情况。）",
                "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。",
            )
            .replace(
                "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",
                "0\t0\t0\t0\t0\t0\t1\t0\t0\t1\t0\t0\t0\t0\t0",
            );
        insta::assert_snapshot!(check_rule("P005", &text), @"25:4 error 文中「未发生因政府信息公开引起的行政复议、行政诉讼」与表格不符：表中行政诉讼总计为 1");
    }
}
