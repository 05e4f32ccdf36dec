//! T002: a row the format requires is missing from a table.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::normalize::{normalize, similarity};
use crate::lang::Text;
use crate::profile::Layout;
use crate::text::TextRange;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T002",
    name: "row-missing",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new("表格缺少格式规定的行", "A table lacks a row of the format"),
    why: Text::new(
        "格式表格的每一行都必须填报，没有发生的事项填 0；缺行会使合计和勾稽关系无法核对。",
        "Every row of the format's tables must be filled in, with 0 where nothing happened; a missing row makes the totals impossible to check.",
    ),
    example: "（一）予以公开\t15\t7\t0\t4\t0\t1\t27\n（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
    fix_note: Text::new(
        "按格式重写整张表，保留已读出的数字，缺少的行填 0（需确认）。",
        "Rewrites the table in the format's shape, keeping the numbers read and filling missing rows with 0 (unsafe).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for table in ctx.report.tables.iter().filter(|t| !t.mixes_editions()) {
        let spec = &ctx.profile.tables[table.spec];
        let name = spec.display_name(ctx.lang);
        let mut anchor = TextRange::empty(table.range.start);
        for (r, row) in spec.rows.iter().enumerate() {
            if let Some(found) = table.row(r) {
                anchor = found.label.range;
                continue;
            }
            let message = if spec.layout == Layout::SingleRow {
                tr!(
                    ctx.lang,
                    "「{name}」没有数据行",
                    "The table ({name}) has no row of figures"
                )
            } else {
                let label = &row.label;
                let hint = table
                    .unknown_rows
                    .iter()
                    .map(|u| {
                        (
                            similarity(&normalize(u.label.text(ctx.text)), &normalize(label)),
                            u.label.text(ctx.text),
                        )
                    })
                    .filter(|(s, _)| *s >= 0.5)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, t)| t.trim().to_string());
                match hint {
                    Some(h) => tr!(
                        ctx.lang,
                        "「{name}」缺少「{label}」行（表中的「{h}」是否就是此行？）",
                        "The table ({name}) lacks the row “{label}” (is “{h}” meant to be it?)"
                    ),
                    None => tr!(
                        ctx.lang,
                        "「{name}」缺少「{label}」行",
                        "The table ({name}) lacks the row “{label}”"
                    ),
                }
            };
            let range = if anchor.is_empty() {
                table.range
            } else {
                anchor
            };
            let d = ctx
                .diag(&META, range, message)
                .with_fix_opt(super::t001_table_missing::rewrite_fix(ctx, table));
            acc.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn row_removed() {
        let text = clean_report(Flavour::Plain);
        let text: String = text
            .lines()
            .filter(|l| !l.contains("2.重复申请"))
            .map(|l| format!("{l}\n"))
            .collect();
        let out = check_rule("T002", &text);
        assert!(out.contains("缺少「2.重复申请」行"), "{out}");
        assert!(
            out.contains("+\t\t2.重复申请\t0\t0\t0\t0\t0\t0\t0"),
            "{out}"
        );
    }
}
