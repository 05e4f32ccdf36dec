//! S009: sub-items （一）（二）… skip a number, repeat one, or go backwards.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::normalize::chinese_numeral;
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S009",
    name: "subitem-numbering",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "小标题序号（一）（二）……跳号、重号或倒序",
        "Sub-item numbers （一）（二）… skip, repeat or go backwards",
    ),
    why: Text::new(
        "跳号往往说明漏写了一项（如总体情况的五个方面），重号说明复制时没有改号。",
        "A skipped number often means an item is missing (such as one of the five areas of the overview); a repeated one, a copy not renumbered.",
    ),
    example: "（一）主动公开\n（二）依申请公开\n（四）平台建设",
    fix_note: Text::new("无自动修复：请核对缺漏后重新编号。", "No fix: check for a missing item, then renumber."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let items = &ctx.report.subitems;
    for (i, item) in items.iter().enumerate() {
        let prev = items[..i].iter().rev().find(|p| p.section == item.section);
        let n = item.number;
        let this = chinese_numeral(n);
        let message = match prev {
            None if n != 1 => tr!(
                ctx.lang,
                "小标题从（{this}）开始，应从（一）开始",
                "Sub-items start at （{this}）; they should start at （一）"
            ),
            None => continue,
            Some(p) if n == p.number + 1 || n == 1 => continue,
            Some(p) => {
                let before = chinese_numeral(p.number);
                let expected = chinese_numeral(p.number + 1);
                if n == p.number {
                    tr!(
                        ctx.lang,
                        "小标题（{this}）重复",
                        "Sub-item （{this}） is repeated"
                    )
                } else if n > p.number {
                    tr!(
                        ctx.lang,
                        "小标题（{before}）之后应为（{expected}），此处为（{this}）",
                        "After （{before}） comes （{expected}）, not （{this}）"
                    )
                } else {
                    tr!(
                        ctx.lang,
                        "小标题（{this}）出现在（{before}）之后，顺序颠倒",
                        "Sub-item （{this}） comes after （{before}）: out of order"
                    )
                }
            }
        };
        acc.push(ctx.diag(&META, item.numbering, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn gaps_repeats_and_restarts() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开。\n（二）依申请公开。\n（四）平台建设。\n（四）监督保障。\n五、存在的主要问题及改进情况\n（一）问题。\n（二）改进。\n";
        insta::assert_snapshot!(check_rule("S009", text), @"
        5:1 warning 小标题（二）之后应为（三），此处为（四）
        6:1 warning 小标题（四）重复
        ");
    }
}
