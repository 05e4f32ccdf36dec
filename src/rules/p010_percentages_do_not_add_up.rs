//! P010: the percentages of a complete breakdown do not add up to 100%.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Decimal;
use crate::lang::Text;
use crate::tr;

use super::prose::{breakdowns, Percent};
use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P010",
    name: "percentages-do-not-add-up",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "完整列举的各项百分比之和不是 100%",
        "The percentages of a complete breakdown do not add up to 100%",
    ),
    why: Text::new(
        "各部分占比之和应为 100%（允许每项四舍五入的误差）；相差较多说明有百分比算错或漏列。",
        "Shares of a whole add up to 100% (give or take each one's rounding); a larger gap means a wrong or missing percentage.",
    ),
    example: "其中：予以公开30件，占52.6%；无法提供16件，占28.1%；不予处理6件，占10.5%；其他处理5件，占9.8%。",
    fix_note: Text::new("无自动修复。", "No fix."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for b in breakdowns(ctx) {
        // Counts with their shares: the list must be complete, every non-zero part with a share.
        let counted: Vec<Percent> = b.parts.iter().filter_map(|p| p.percent).collect();
        let complete_counts = b.parts.len() >= 2
            && b.whole
                .as_ref()
                .is_some_and(|w| Decimal::sum(b.parts.iter().map(|p| p.value)) == w.value)
            && b.parts
                .iter()
                .all(|p| p.value.is_zero() || p.percent.is_some())
            && counted.len() >= 2;
        let percents = if complete_counts {
            counted
        } else if b.bare_complete && b.bare_percents.len() >= 3 {
            b.bare_percents.clone()
        } else {
            continue;
        };
        let sum = Decimal::sum(percents.iter().map(|p| p.value));
        // Each printed share may be off by half a unit of its last digit.
        let tolerance = Decimal::sum(percents.iter().map(|p| half_unit(p.value)));
        let hundred = Decimal::from_int(100);
        let gap = if sum > hundred {
            sum.minus(hundred)
        } else {
            hundred.minus(sum)
        };
        if gap <= tolerance {
            continue;
        }
        let range = percents[0].range.cover(percents[percents.len() - 1].range);
        let message = tr!(
            ctx.lang,
            "所列各项百分比之和为 {sum}%，应为 100%",
            "The listed percentages add up to {sum}%, not 100%"
        );
        acc.push(ctx.diag(&META, range, message));
    }
}

/// Half a unit of the last printed digit: 0.05 for `9.8`.
fn half_unit(p: Decimal) -> Decimal {
    let s = p.scale();
    let five =
        Decimal::parse_plain(&format!("0.{}5", "0".repeat(s as usize))).unwrap_or(Decimal::ZERO);
    five
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn shares_add_to_more_than_a_hundred() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n答复申请57件。其中：予以公开及部分公开30件，占52.6%；不予公开0件；无法提供16件，占28.1%；不予处理6件，占10.5%；其他处理，5件，占9.8%。\n";
        insta::assert_snapshot!(check_rule("P010", text), @"3:26 warning 所列各项百分比之和为 101.0%，应为 100%");
    }

    #[test]
    fn rounded_survey_shares() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n其中重要政策文件占18.95%,规划占14.29%,统计信息占11.66%,人事任免占10.79%,政策措施占16.62%,检查信息占13.12%,财政信息占6.71%,工作总结占5.83%,其它占2.04%。\n";
        assert_eq!(check_rule("P010", text), "");
    }
}
