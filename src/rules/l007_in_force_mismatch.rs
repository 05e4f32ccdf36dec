//! L007: the documents in force do not follow from last year's, the new and the repealed.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::year::broken;
use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "L007",
    name: "in-force-mismatch",
    severity: Severity::Warning,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "「现行有效件数」不等于上年现行有效件数加本年制发、减本年废止",
        "Documents in force differ from last year's plus those issued and minus those repealed",
    ),
    why: Text::new(
        "规章和行政规范性文件的现行有效件数逐年延续：本年 = 上年 + 本年制发 − 本年废止。不一致多半是某个数填错，也可能是修订、失效等未计入的变动，故为警告。需要提供上年报告。",
        "Documents in force carry over year by year: this year's = last year's + issued − repealed. A difference is usually a wrong number, but may be a change neither column counts (expiry, revision), hence a warning. Needs last year's report.",
    ),
    example: "规章：上年现行有效 10，本年制发 3、废止 1，现行有效件数却为 11",
    fix_note: Text::new(
        "将现行有效件数改为计算值（需确认）。",
        "Sets the number in force to the computed one (unsafe).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for b in broken(ctx, META.code) {
        acc.push(super::l006_carryover_mismatch::report(ctx, &META, &b));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::document::Flavour;
    use crate::rules::test_support::{clean_report, set_row};
    use crate::{analyze, Options, Previous};

    #[test]
    fn in_force_follows_last_year() {
        let last = set_row(&clean_report(Flavour::Plain), "规章", "1 0 10");
        let this = set_row(
            &clean_report(Flavour::Plain).replace("2021", "2022"),
            "规章",
            "3 1 11",
        );
        let opts = Options {
            previous: vec![Arc::new(Previous::parse(
                "2021.txt".into(),
                last.clone(),
                Flavour::Plain,
                false,
            ))],
            ..Options::default()
        };
        let found: Vec<String> = analyze(&this, &opts)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "L007")
            .map(|d| d.message)
            .collect();
        insta::assert_debug_snapshot!(found, @r#"
        [
            "「规章」现行有效件数为 11，应为上年现行有效件数 10 + 本年制发件数 3 − 本年废止件数 1 = 12（见 2021.txt 第 31 行）",
        ]
        "#);
        let fixed = set_row(&this, "规章", "3 1 12");
        assert!(!analyze(&fixed, &opts)
            .diagnostics
            .iter()
            .any(|d| d.code == "L007"));
    }
}
