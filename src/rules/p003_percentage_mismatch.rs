//! P003: a percentage in the prose is not the share its count is of the whole.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::Decimal;
use crate::lang::Text;
use crate::text::{Needle, TextEdit};
use crate::tr;

use super::prose::{breakdowns, check_percent, expr_value, paragraph_counts, Count};
use super::{Ctx, FixSafety, RuleMeta};

use crate::hash::FastMap;

pub(crate) const META: RuleMeta = RuleMeta {
    code: "P003",
    name: "percentage-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Safe,
    summary: Text::new(
        "正文中的百分比与其对应的数量不符",
        "A percentage in the text is not the share its count is of the whole",
    ),
    why: Text::new(
        "「其他处理5件，占9.8%」中，5件占总数57件的比例是8.8%；算错的百分比是公开报告中最常见的错误之一。",
        "In 其他处理5件，占9.8% the share of 5 in 57 is 8.8%; wrong percentages are among the most common errors in published reports.",
    ),
    example: "答复政府信息公开申请57件……其他处理，5件，占9.8%。",
    fix_note: Text::new(
        "改为按数量重新计算的百分比，保留原有小数位（安全）。",
        "Writes the percentage recomputed from the counts, with the same decimals (safe).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    static FULL_WIDTH_PERCENT: Needle = Needle::new("％");
    static APPLICATION: Needle = Needle::new("申请");
    // The whole of the `其中` list each count is part of (by where the count starts).
    let mut wholes: FastMap<usize, Option<&Count>> = FastMap::default();
    for b in breakdowns(ctx) {
        for p in &b.parts {
            wholes.entry(p.range.start).or_insert(b.whole.as_ref());
        }
    }
    for (i, para) in ctx.report.paragraphs.iter().enumerate() {
        // A count has a percentage only where the paragraph has a percent sign.
        let s = ctx.slice(para.range);
        let bytes = s.as_bytes();
        if memchr::memchr(b'%', bytes).is_none() && !FULL_WIDTH_PERCENT.is_in(s) {
            continue;
        }
        let about_applications = APPLICATION.is_in(s);
        // The table's totals a share of applications may be taken of.
        let totals: Vec<Decimal> = ctx
            .profile
            .percent_bases_resolved
            .iter()
            .filter_map(|e| expr_value(ctx, e))
            .collect();
        for c in paragraph_counts(ctx, i) {
            let Some(percent) = c.percent else {
                continue;
            };
            // The whole of the `其中` list the count is part of; else the table's totals.
            let whole = wholes.get(&c.range.start).copied().flatten();
            match whole {
                Some(w) if w.value >= c.value => {
                    if let Err(correct) =
                        check_percent(c.value, w.value, percent.value, ctx.percent_tolerance)
                    {
                        acc.push(finding(ctx, c, w.value, &correct, Severity::Error));
                    }
                }
                _ => {
                    // Only applications (件, in a paragraph about 申请) have a whole in the tables.
                    if c.unit != "件" || !about_applications {
                        continue;
                    }
                    let bases: Vec<_> = totals
                        .iter()
                        .copied()
                        .filter(|b| *b >= c.value && !b.is_zero())
                        .collect();
                    let Some(first) = bases.first().copied() else {
                        continue;
                    };
                    if bases.iter().any(|b| {
                        check_percent(c.value, *b, percent.value, ctx.percent_tolerance).is_ok()
                    }) {
                        continue;
                    }
                    // Wrong against every total the table offers: an error.
                    if let Err(correct) =
                        check_percent(c.value, first, percent.value, ctx.percent_tolerance)
                    {
                        acc.push(finding(ctx, c, first, &correct, Severity::Error));
                    }
                }
            }
        }
    }
}

fn finding(
    ctx: &Ctx,
    c: &Count,
    whole: crate::document::Decimal,
    correct: &str,
    severity: Severity,
) -> Diagnostic {
    let percent = c.percent.expect("checked by the caller");
    let n = c.value;
    let unit = &c.unit;
    let written = ctx.slice(percent.range);
    let message = tr!(
        ctx.lang,
        "{n}{unit}占{whole}{unit}的 {correct}%（{n}÷{whole}），文中写作 {written}%",
        "{n} of {whole} is {correct}% ({n}÷{whole}), but the text says {written}%"
    );
    let fix = Fix::safe(
        tr!(ctx.lang, "改为 {correct}%", "Change to {correct}%"),
        vec![TextEdit::replace(percent.range, correct.to_string())],
    );
    let mut d = ctx.diag(&META, percent.range, message).with_fix(fix);
    d.severity = severity;
    d
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn wrong_share() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n（二）依申请公开。答复政府信息公开申请57件（含上年度结转申请4件）。其中：予以公开及部分公开30件，占52.6%；不予公开0件；无法提供16件，占28.1%；不予处理6件，占10.5%；其他处理，5件，占9.8%。\n";
        insta::assert_snapshot!(check_rule("P003", text), @"
        3:104 error 5件占57件的 8.8%（5÷57），文中写作 9.8%
          fix (safe): 改为 8.8%
          -（二）依申请公开。答复政府信息公开申请57件（含上年度结转申请4件）。其中：予以公开及部分公开30件，占52.6%；不予公开0件；无法提供16件，占28.1%；不予处理6件，占10.5%；其他处理，5件，占9.8%。
          +（二）依申请公开。答复政府信息公开申请57件（含上年度结转申请4件）。其中：予以公开及部分公开30件，占52.6%；不予公开0件；无法提供16件，占28.1%；不予处理6件，占10.5%；其他处理，5件，占8.8%。
        ");
    }

    #[test]
    fn right_shares() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n共发布信息8条，其中政务动态1条，占12.5%，通知公告7条，占87.5%。\n";
        assert_eq!(check_rule("P003", text), "");
    }
}
