//! P002: outcome counts in the text contradict table 三.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P002",
    name: "outcome-count-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new("正文中的办理结果数量与表三不符", "Outcome counts in the text contradict table 三"),
    why: Text::new(
        "予以公开、不予公开、无法提供、不予处理等件数是表三相应行的合计，正文必须与之一致。",
        "The counts disclosed, withheld, unavailable, not processed and so on are sums of table 三's rows; the text must agree.",
    ),
    example: "其中：予以公开及部分公开30件……（表三为27+2=29件）",
    fix_note: Text::new("只有一个对应数字时，可将正文改为表中数字（需确认）。", "Where one table figure applies, can change the text to it (unsafe)."),
};

/// The claims are the profile's (`claims` with `"rule": "P002"`).
pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    super::prose::report_claims(ctx, acc, &META);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn outcomes() {
        let text = clean_report(Flavour::Plain).replace(
            "（在此填写本年度依申请公开工作情况。）",
            "答复申请3件，其中：予以公开2件，不予公开0件，无法提供1件。",
        );
        insta::assert_snapshot!(check_rule("P002", &text), @"
        13:11 error 文中「予以公开2件」与表格不符：表中予以公开数为 0
          fix (unsafe): 将 2 改为 0
          -答复申请3件，其中：予以公开2件，不予公开0件，无法提供1件。
          +答复申请3件，其中：予以公开0件，不予公开0件，无法提供1件。
        13:25 error 文中「无法提供1件」与表格不符：表中无法提供小计为 0
          fix (unsafe): 将 1 改为 0
          -答复申请3件，其中：予以公开2件，不予公开0件，无法提供1件。
          +答复申请3件，其中：予以公开2件，不予公开0件，无法提供0件。
        ");
    }
}
