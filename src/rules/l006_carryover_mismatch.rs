//! L006: this year's carried-over applications differ from last year's carried into this year.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::{Lang, Text};
use crate::tr;

use super::year::{broken, Broken};
use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "L006",
    name: "carryover-mismatch",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "本年「上年结转」申请数与上年报告「结转下年度继续办理」不一致",
        "Applications carried over differ from those last year's report carried into this year",
    ),
    why: Text::new(
        "上年结转下年度继续办理的申请，就是本年的上年结转申请，两份报告的这两行必须逐列相等。需要提供上年报告（--previous，或放在同一目录下）。",
        "The applications last year carried into this year are this year's carried-over ones: the two rows must match column by column. Needs last year's report (--previous, or in the same folder).",
    ),
    example: "上年报告：四、结转下年度继续办理 2；本年：二、上年结转政府信息公开申请数量 1",
    fix_note: Text::new(
        "将本年结转数改为上年报告中的数（需确认：也可能是上年报告有误）。",
        "Sets this year's number to last year's (unsafe: last year's may be the wrong one).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for b in broken(ctx, META.code) {
        acc.push(report(ctx, &META, &b));
    }
}

/// A finding for a broken year relation: the arithmetic, where last year's number is, and an
/// unsafe fix that writes the expected number.
pub(crate) fn report(ctx: &Ctx, meta: &RuleMeta, b: &Broken) -> Diagnostic {
    let lang = ctx.lang;
    let rel = b.relation;
    let name = |zh: &Option<String>, en: &Option<String>| -> String {
        match lang {
            Lang::Zh => zh.clone().unwrap_or_default(),
            Lang::En => en.clone().or_else(|| zh.clone()).unwrap_or_default(),
        }
    };
    let lhs_name = name(&rel.lhs_name, &rel.lhs_name_en);
    let previous_name = name(&rel.previous_name, &rel.previous_name_en);
    let (this, along, source) = (b.this, b.along, b.source(ctx));
    let expected = b.expected_expr();
    let message = match rel.for_each {
        crate::profile::ForEach::Column => tr!(
            lang,
            "{lhs_name}{along}列为 {this}，{previous_name}为 {expected}（{source}）",
            "{lhs_name}, column “{along}”, is {this}, but {previous_name} is {expected} ({source})"
        ),
        crate::profile::ForEach::Row => tr!(
            lang,
            "「{along}」{lhs_name}为 {this}，应为{previous_name} {expected}（{source}）",
            "“{along}”: {lhs_name} is {this}, but {previous_name} gives {expected} ({source})"
        ),
    };
    let cell = b.anchor;
    let range = if cell.range.is_empty() {
        cell.slot
    } else {
        cell.range
    };
    let fix = b.single.then(|| {
        super::ledger::set_cell_fix(ctx, cell, b.expected, |new| {
            tr!(lang, "改为 {new}", "Set it to {new}")
        })
    });
    ctx.diag(meta, range, message).with_fix_opt(fix)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::document::Flavour;
    use crate::rules::test_support::{clean_report, set_row};
    use crate::{analyze, Options, Previous};

    fn with_previous(text: &str, last: &str, explicit: bool) -> Vec<String> {
        let prev = Previous::parse(
            "2021.txt".into(),
            last.to_string(),
            Flavour::Plain,
            explicit,
        );
        let opts = Options {
            previous: vec![Arc::new(prev)],
            ..Options::default()
        };
        analyze(text, &opts)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "L006")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn carried_over_column_by_column() {
        let last = set_row(
            &clean_report(Flavour::Plain),
            "四、结转下年度继续办理",
            "2 0 0 1 0 0 3",
        );
        let this = clean_report(Flavour::Plain).replace("2021", "2022");
        let this = set_row(&this, "二、上年结转政府信息公开申请数量", "2 0 0 0 0 0 2");
        let found = with_previous(&this, &last, false);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("社会公益组织列为 0") || found[0].contains("列为 0"),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|m| m.contains("总计列为 2") && m.contains("为 3")),
            "{found:?}"
        );
        let this = set_row(&this, "二、上年结转政府信息公开申请数量", "2 0 0 1 0 0 3");
        assert!(with_previous(&this, &last, false).is_empty());
    }

    #[test]
    fn pairs_only_the_same_body_and_year() {
        let last = set_row(
            &clean_report(Flavour::Plain),
            "四、结转下年度继续办理",
            "1 0 0 0 0 0 1",
        );
        let this = clean_report(Flavour::Plain).replace("2021", "2022");
        // Another body's report is not last year's, unless the user says it is.
        let other = last.replace("某区人民政府", "某县教育局");
        assert!(with_previous(&this, &other, false).is_empty());
        assert_eq!(with_previous(&this, &other, true).len(), 2);
        // Nor is a report of two years before.
        let older = last.replace("2021", "2020");
        assert!(with_previous(&this, &older, true).is_empty());
        // Nor anything without a previous report.
        assert!(crate::rules::test_support::check_rule("L006", &this).is_empty());
    }
}
