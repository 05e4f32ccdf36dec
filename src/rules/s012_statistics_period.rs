//! S012: the statistics period is not stated, or does not match the report year.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::lang::Text;
use crate::text::TextEdit;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S012",
    name: "statistics-period",
    severity: Severity::Warning,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "没有说明数据统计期限，或统计期限与报告年度不符",
        "The statistics period is not stated, or differs from the report year",
    ),
    why: Text::new(
        "年度报告的数据统计期限为报告年度的1月1日至12月31日；写明期限，读者才能判断数字的口径。",
        "A report's figures cover 1 January to 31 December of the report year; stating the period tells readers what the figures mean.",
    ),
    example: "本年度报告中所列数据统计期限为2020年1月1日至12月31日。（标题为2021年）",
    fix_note: Text::new(
        "缺少时在标题后插入格式的引言段（需确认）。",
        "When missing, inserts the format's introduction after the title (unsafe).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    let title_year = report.title.as_ref().and_then(|t| t.year);
    match &report.period {
        None => {
            let anchor = report.title.as_ref().map_or_else(
                || super::s001_title_missing::first_content_line(ctx.text, report.range),
                |t| t.range,
            );
            let message = tr!(
                ctx.lang,
                "没有说明数据统计期限（如「本年度报告中所列数据统计期限为{y}年1月1日至12月31日」）",
                "The statistics period is not stated (such as 本年度报告中所列数据统计期限为{y}年1月1日至12月31日)",
                y = report.year.map_or_else(|| "XXXX".to_string(), |y| y.value.to_string())
            );
            let mut d = ctx.diag(&META, anchor, message);
            if let (Some((year, _)), Some(intro), Some(title)) =
                (title_year, &ctx.profile.intro, &report.title)
            {
                let nl = ctx.newline();
                let text = intro
                    .replace("{year}", &year.to_string())
                    .replace("{agency}", "");
                let fix = Fix::unsafe_(
                    tr!(
                        ctx.lang,
                        "在标题后插入引言和统计期限",
                        "Insert the introduction and period after the title"
                    ),
                    vec![TextEdit::insert(title.range.end, format!("{nl}{nl}{text}"))],
                );
                d = d.with_fix(fix);
            }
            acc.push(d);
        }
        Some(period) => {
            if let Some((year, _)) = title_year {
                if period.start_year != year {
                    let start = period.start_year;
                    let message = tr!(
                        ctx.lang,
                        "统计期限写的是{start}年，报告年度是{year}年",
                        "The statistics period is in {start}, but the report year is {year}"
                    );
                    let fix = Fix::unsafe_(
                        tr!(ctx.lang, "改为{year}年", "Change to {year}"),
                        vec![TextEdit::replace(period.start_year_range, year.to_string())],
                    );
                    acc.push(
                        ctx.diag(&META, period.start_year_range, message)
                            .with_fix(fix),
                    );
                    return;
                }
            }
            if let Some(end) = period.end_year.filter(|e| *e != period.start_year) {
                let start = period.start_year;
                let message = tr!(
                    ctx.lang,
                    "统计期限从{start}年1月1日到{end}年12月31日，超出了一个年度",
                    "The statistics period runs from 1 January {start} to 31 December {end}: more than one year"
                );
                acc.push(ctx.diag(&META, period.range, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn missing_and_wrong_period() {
        insta::assert_snapshot!(check_rule("S012", "某县2021年政府信息公开工作年度报告\n一、总体情况\n"), @"
        1:1 warning 没有说明数据统计期限（如「本年度报告中所列数据统计期限为2021年1月1日至12月31日」）
          fix (unsafe): 在标题后插入引言和统计期限
          -某县2021年政府信息公开工作年度报告
          +某县2021年政府信息公开工作年度报告
          +
          +本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本年度报告中所列数据统计期限为2021年1月1日至12月31日。
        ");
        insta::assert_snapshot!(check_rule("S012", "某县2021年政府信息公开工作年度报告\n本年度报告中所列数据统计期限为2020年1月1日至12月31日。\n一、总体情况\n"), @"
        2:16 warning 统计期限写的是2020年，报告年度是2021年
          fix (unsafe): 改为2021年
          -本年度报告中所列数据统计期限为2020年1月1日至12月31日。
          +本年度报告中所列数据统计期限为2021年1月1日至12月31日。
        ");
        assert_eq!(check_rule("S012", "某县2021年政府信息公开工作年度报告\n本报告中所列数据的统计期限自2021年1月1日起,至2021年12月31日止。\n"), "");
    }
}
