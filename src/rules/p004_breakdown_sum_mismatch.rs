//! P004: the parts listed after `其中` do not add up to the whole.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Decimal;
use crate::lang::Text;
use crate::tr;

use super::prose::breakdowns;
use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P004",
    name: "breakdown-sum-mismatch",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new(
        "「其中」所列各项之和与总数不符",
        "The parts listed after 其中 do not add up to the whole",
    ),
    why: Text::new(
        "「共发布信息6352条，其中……」所列各项之和超过总数，说明某个数字有误；少于总数而未写「等」，说明漏列了一项。",
        "Parts that exceed the whole mean a wrong number; parts that fall short without 等 mean an item is left out.",
    ),
    example: "主动公开信息296条，其中：网站发布92条，微信发布195条，行政许可结果6条，政府集中采购5条。",
    fix_note: Text::new("无自动修复：不能判断哪个数字有误。", "No fix: it cannot tell which number is wrong."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for b in breakdowns(ctx) {
        let Some(whole_count) = &b.whole else {
            continue;
        };
        if b.parts.len() < 2 {
            continue;
        }
        let sum = Decimal::sum(b.parts.iter().map(|p| p.value));
        let whole = whole_count.value;
        if sum == whole {
            continue;
        }
        let unit = &whole_count.unit;
        let expr = b
            .parts
            .iter()
            .map(|p| p.value.to_string())
            .collect::<Vec<_>>()
            .join("+");
        let range = b.marker.cover(b.parts.last().map_or(b.marker, |p| p.range));
        let (message, severity) = if sum > whole {
            (
                tr!(
                    ctx.lang,
                    "「其中」所列各项之和为 {sum}{unit}（{expr}），超过总数 {whole}{unit}",
                    "The parts after 其中 add up to {sum} ({expr}), more than the whole, {whole}"
                ),
                Severity::Error,
            )
        } else if b.exhaustive {
            (
                tr!(
                    ctx.lang,
                    "「其中」所列各项之和为 {sum}{unit}（{expr}），少于总数 {whole}{unit}；如未列全，请加「等」",
                    "The parts after 其中 add up to {sum} ({expr}), less than the whole, {whole}; if the list is partial, add 等"
                ),
                Severity::Warning,
            )
        } else {
            continue;
        };
        let note = tr!(ctx.lang, "总数", "the whole");
        let mut d = ctx
            .diag(&META, range, message)
            .with_related(whole_count.range, note);
        d.severity = severity;
        acc.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn parts_exceed_and_fall_short() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n主动公开信息296条，其中：网站发布92条，微信发布195条，行政许可结果6条，政府集中采购5条。\n共发布信息100条，其中政务动态60条，通知公告30条。\n共发布信息100条，其中政务动态60条，通知公告30条等。\n";
        insta::assert_snapshot!(check_rule("P004", text), @"
        3:12 error 「其中」所列各项之和为 298条（92+195+6+5），超过总数 296条
        4:11 warning 「其中」所列各项之和为 90条（60+30），少于总数 100条；如未列全，请加「等」
        ");
    }

    #[test]
    fn comparisons_and_brackets_are_not_parts() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n受理申请57件（含上年度结转申请4件），较去年增加5件，其中予以公开30件，不予处理27件。\n";
        assert_eq!(check_rule("P004", text), "");
    }
}
