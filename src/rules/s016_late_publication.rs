//! S016: the signature date is after the publication deadline, or before the year ended.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::agency::{AgencyParts, Body};
use crate::document::SignDate;
use crate::lang::{Lang, Text};
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S016",
    name: "late-publication",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "落款日期晚于公布期限，或早于报告年度结束",
        "The signature date is after the publication deadline, or before the report year ended",
    ),
    why: Text::new(
        "《条例》第四十九条：县级以上人民政府部门应在每年1月31日前公布上一年度报告，县级以上地方人民政府应在3月31日前公布本级政府的报告。部门或政府由标题中的机关判断，可在 reportlint.toml 中用 body 指定，用 deadline 设定更早的本地期限。落款日期早于报告年度结束，多半是年份写错。",
        "Article 49 of the Regulations: departments publish last year's report by 31 January, governments their own by 31 March. The kind of body is read from the title's agency; set `body` in reportlint.toml to override it and `deadline` for an earlier local deadline. A date before the report year ended is usually a wrong year.",
    ),
    example: "某县教育局2021年政府信息公开工作年度报告……某县教育局 2022年2月15日",
    fix_note: Text::new("无自动修复。", "No fix."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    let (Some(signature), Some(year)) = (&report.signature, report.year) else {
        return;
    };
    let date = signature.date;
    let y = year.value;
    let shown = show(ctx.lang, &date);
    if date.ordinal() <= y as u32 * 10_000 + 1231 {
        let message = tr!(
            ctx.lang,
            "落款日期 {shown} 不晚于 {y} 年度结束，年度报告应在次年发布，年份可能写错",
            "The signature date {shown} is not after the end of {y}; a report is published the year after, so the year may be wrong"
        );
        acc.push(ctx.diag(&META, date.range, message));
        return;
    }
    let agency = |a: &crate::document::Agency| AgencyParts::split(&a.name).body();
    let body = ctx
        .body
        .or_else(|| report.title.as_ref()?.agency.as_ref().and_then(agency))
        .or_else(|| signature.agency.as_ref().and_then(agency));
    let (month, day) = ctx.deadline.unwrap_or(match body {
        Some(Body::Department) => (1, 31),
        Some(Body::Government) | None => (3, 31),
    });
    let deadline = SignDate {
        year: y + 1,
        month,
        day,
        range: date.range,
    };
    if date.ordinal() <= deadline.ordinal() {
        return;
    }
    let due = show(ctx.lang, &deadline);
    let message = match (ctx.deadline.is_some(), body) {
        (true, _) => tr!(
            ctx.lang,
            "落款日期 {shown} 晚于配置的公布期限 {due}",
            "The signature date {shown} is after the configured deadline, {due}"
        ),
        (false, Some(Body::Department)) => tr!(
            ctx.lang,
            "落款日期 {shown} 晚于部门年度报告的公布期限 {due}（《条例》第四十九条；若为本级政府的报告，请在 reportlint.toml 中设置 body = \"government\"）",
            "The signature date {shown} is after a department's deadline, {due} (Article 49; for a government's own report set body = \"government\" in reportlint.toml)"
        ),
        (false, _) => tr!(
            ctx.lang,
            "落款日期 {shown} 晚于本级政府年度报告的公布期限 {due}（《条例》第四十九条）",
            "The signature date {shown} is after a government's deadline, {due} (Article 49)"
        ),
    };
    acc.push(ctx.diag(&META, date.range, message));
}

fn show(lang: Lang, d: &SignDate) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year, d.month, d.day),
        Lang::En => format!("{}-{:02}-{:02}", d.year, d.month, d.day),
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, check_rule_en, clean_report};

    fn signed(agency_in_title: &str, signature: &str) -> String {
        clean_report(Flavour::Plain).replace("某区人民政府", agency_in_title) + signature
    }

    #[test]
    fn deadlines_by_body() {
        // A department: 31 January.
        let late = signed("某市教育局", "\n某市教育局\n2022年2月8日\n");
        insta::assert_snapshot!(check_rule("S016", &late), @r#"98:1 warning 落款日期 2022年2月8日 晚于部门年度报告的公布期限 2022年1月31日（《条例》第四十九条；若为本级政府的报告，请在 reportlint.toml 中设置 body = "government"）"#);
        assert_eq!(
            check_rule(
                "S016",
                &signed("某市教育局", "\n某市教育局\n2022年1月31日\n")
            ),
            ""
        );
        // A government: 31 March; the date may be written in Chinese numerals.
        assert_eq!(
            check_rule(
                "S016",
                &signed("长沙市芙蓉区", "\n长沙市芙蓉区人民政府\n2022年2月8日\n")
            ),
            ""
        );
        let late = signed(
            "长沙市芙蓉区",
            "\n长沙市芙蓉区人民政府\n二〇二二年四月一日\n",
        );
        insta::assert_snapshot!(check_rule_en("S016", &late), @"98:1 warning The signature date 2022-04-01 is after a government's deadline, 2022-03-31 (Article 49)");
        // Full-width digits, the agency and date on one line, trailing page chrome.
        let late = signed(
            "某市教育局",
            "\n某市教育局　２０２２年３月１日\n扫一扫在手机打开当前页\n",
        );
        insta::assert_snapshot!(check_rule("S016", &late), @r#"97:7 warning 落款日期 2022年3月1日 晚于部门年度报告的公布期限 2022年1月31日（《条例》第四十九条；若为本级政府的报告，请在 reportlint.toml 中设置 body = "government"）"#);
    }

    #[test]
    fn a_date_in_the_report_year() {
        let early = signed("某市教育局", "\n某市教育局\n2021年1月20日\n");
        insta::assert_snapshot!(check_rule("S016", &early), @"98:1 warning 落款日期 2021年1月20日 不晚于 2021 年度结束，年度报告应在次年发布，年份可能写错");
    }

    #[test]
    fn a_date_in_brackets_under_the_title() {
        let text = clean_report(Flavour::Plain)
            .replace("某区人民政府", "某市教育局")
            .replacen("\n", "\n（2022年3月2日）\n", 1);
        insta::assert_snapshot!(check_rule("S016", &text), @r#"2:2 warning 落款日期 2022年3月2日 晚于部门年度报告的公布期限 2022年1月31日（《条例》第四十九条；若为本级政府的报告，请在 reportlint.toml 中设置 body = "government"）"#);
    }

    #[test]
    fn a_date_in_a_sentence_is_no_signature() {
        let text = signed("某市教育局", "\n本报告于2022年3月1日经局务会审议通过。\n");
        assert_eq!(check_rule("S016", &text), "");
    }

    #[test]
    fn configured_body_and_deadline() {
        let text = signed("某市教育局", "\n某市教育局\n2022年1月25日\n");
        let opts = crate::Options {
            deadline: Some((1, 20)),
            ..Default::default()
        };
        let found: Vec<_> = crate::analyze(&text, &opts)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "S016")
            .map(|d| d.message)
            .collect();
        assert_eq!(
            found,
            ["落款日期 2022年1月25日 晚于配置的公布期限 2022年1月20日"]
        );
        let text = signed("某市教育局", "\n某市教育局\n2022年3月1日\n");
        let opts = crate::Options {
            body: Some(crate::document::agency::Body::Government),
            ..Default::default()
        };
        assert!(!crate::analyze(&text, &opts)
            .diagnostics
            .iter()
            .any(|d| d.code == "S016"));
    }
}
