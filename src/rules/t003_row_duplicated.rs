//! T003: a row appears twice in a table.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T003",
    name: "row-duplicated",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new("表格中同一行出现了两次", "A row appears twice in a table"),
    why: Text::new(
        "重复的行让读者无法判断哪一组数字有效，核对时只取第一行。",
        "With a row twice, nobody can tell which figures count; checks use the first.",
    ),
    example: "2.重复申请\t5\t0\t0\t0\t0\t0\t5\n2.重复申请\t0\t0\t0\t0\t0\t0\t0",
    fix_note: Text::new(
        "无自动修复：请删除多余的行。",
        "No fix: delete the extra row.",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for table in ctx.report.tables.iter().filter(|t| !t.mixes_editions()) {
        let spec = &ctx.profile.tables[table.spec];
        for (i, row) in table.rows.iter().enumerate() {
            let Some(first) = table.row_pos[row.spec].filter(|&f| f != i) else {
                continue;
            };
            let label = &spec.rows[row.spec].label;
            let message = tr!(
                ctx.lang,
                "「{label}」行重复出现",
                "The row “{label}” appears again"
            );
            let note = tr!(ctx.lang, "第一次出现在此", "first appears here");
            acc.push(
                ctx.diag(&META, row.label.range, message)
                    .with_related(table.rows[first].label.range, note),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn repeated_row() {
        let text = clean_report(Flavour::Plain).replace(
            "\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0\n",
            "\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0\n\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0\n",
        );
        insta::assert_snapshot!(check_rule("T003", &text), @"66:3 error 「2.重复申请」行重复出现");
    }
}
