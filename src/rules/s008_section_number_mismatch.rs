//! S008: a section is numbered differently from its place in the format.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::normalize::chinese_numeral;
use crate::lang::Text;
use crate::text::TextEdit;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S008",
    name: "section-number-mismatch",
    severity: Severity::Warning,
    fix: FixSafety::Safe,
    summary: Text::new(
        "部分的序号与格式不一致，或没有序号",
        "A section's number differs from the format, or it has none",
    ),
    why: Text::new(
        "六个部分的序号是固定的；序号错位通常意味着前面漏了一个部分。",
        "The six sections have fixed numbers; a shifted number usually means a section before it is missing.",
    ),
    example: "四、存在的主要问题及改进情况",
    fix_note: Text::new("改为正确的序号（安全）。", "Writes the right number (safe)."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for s in &ctx.report.sections {
        let expected = s.spec as u32 + 1;
        let numeral = chinese_numeral(expected);
        let heading = ctx.section_heading(s.spec);
        match s.number {
            Some((n, _)) if n == expected => {}
            Some((n, range)) => {
                let written = chinese_numeral(n);
                let message = tr!(
                    ctx.lang,
                    "「{heading}」的序号应为「{numeral}」，此处为「{written}」",
                    "“{heading}” should be numbered {numeral}, not {written}"
                );
                let fix = Fix::safe(
                    tr!(ctx.lang, "改为「{numeral}、」", "Renumber as {numeral}、"),
                    vec![TextEdit::replace(range, format!("{numeral}、"))],
                );
                acc.push(ctx.diag(&META, range, message).with_fix(fix));
            }
            None => {
                let message = tr!(
                    ctx.lang,
                    "「{heading}」缺少序号",
                    "“{heading}” has no number"
                );
                let fix = Fix::safe(
                    tr!(ctx.lang, "加上序号「{numeral}、」", "Number it {numeral}、"),
                    vec![TextEdit::insert(
                        s.title_range.start,
                        format!("{numeral}、"),
                    )],
                );
                acc.push(ctx.diag(&META, s.title_range, message).with_fix(fix));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_rule, check_rule_md};

    #[test]
    fn shifted_and_missing_numbers() {
        let text = "某县2021年政府信息公开工作年度报告\n一、总体情况\n五、其他需要报告的事项\n";
        insta::assert_snapshot!(check_rule("S008", text), @"
        3:1 warning 「六、其他需要报告的事项」的序号应为「六」，此处为「五」
          fix (safe): 改为「六、」
          -五、其他需要报告的事项
          +六、其他需要报告的事项
        ");
        insta::assert_snapshot!(check_rule_md("S008", "# 某县2021年政府信息公开工作年度报告\n## 总体情况\n"), @"
        2:4 warning 「一、总体情况」缺少序号
          fix (safe): 加上序号「一、」
          -## 总体情况
          +## 一、总体情况
        ");
    }
}
