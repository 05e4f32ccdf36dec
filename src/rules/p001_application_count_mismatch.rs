//! P001: application counts in the text contradict table 三.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P001",
    name: "application-count-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new("正文中的申请数量与表三不符", "Application counts in the text contradict table 三"),
    why: Text::new(
        "正文中收到、答复、结转的申请件数必须与表三一致；读者往往只读正文。",
        "The numbers of applications received, answered and carried over in the text must match table 三; many readers read only the text.",
    ),
    example: "全区共受理政府信息公开申请60件（表三本年新收53件、上年结转4件）",
    fix_note: Text::new("只有一个对应数字时，可将正文改为表中数字（需确认：也可能是表格有误）。", "Where one table figure applies, can change the text to it (unsafe: the table may be the one that is wrong)."),
};

/// The claims are the profile's (`claims` with `"rule": "P001"`).
pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::prose::report_claims(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn received_and_answered() {
        let text = clean_report(Flavour::Plain).replace(
            "（在此填写本年度依申请公开工作情况。）",
            "全年共受理政府信息公开申请5件（含上年度结转申请1件），答复政府信息公开申请3件。",
        );
        insta::assert_snapshot!(check_rule("P001", &text), @"
        13:4 error 文中「受理政府信息公开申请5件」与表格不符：表中本年新收申请数为 0，本年新收申请数与上年结转申请数之和为 0
        13:17 error 文中「含上年度结转申请1件」与表格不符：表中上年结转申请数为 0
          fix (unsafe): 将 1 改为 0
          -全年共受理政府信息公开申请5件（含上年度结转申请1件），答复政府信息公开申请3件。
          +全年共受理政府信息公开申请5件（含上年度结转申请0件），答复政府信息公开申请3件。
        13:29 error 文中「答复政府信息公开申请3件」与表格不符：表中本年度办理结果总计为 0
          fix (unsafe): 将 3 改为 0
          -全年共受理政府信息公开申请5件（含上年度结转申请1件），答复政府信息公开申请3件。
          +全年共受理政府信息公开申请5件（含上年度结转申请1件），答复政府信息公开申请0件。
        ");
    }
}
