//! T004: a row has more or fewer value cells than the table has columns.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::profile::Layout;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T004",
    name: "row-cell-count",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "某行的数值个数与表格列数不符",
        "A row has more or fewer values than the table has columns",
    ),
    why: Text::new(
        "少填或多填一个单元格，其后的数字就会落到错误的列里，合计和勾稽关系随之出错。",
        "One cell too few or too many shifts every following number into the wrong column, and the totals with them.",
    ),
    example: "（一）予以公开\t\t\t\t\t\t14",
    fix_note: Text::new(
        "按格式重写整张表，保留已读出的数字（需确认：对齐方式是推测的）。",
        "Rewrites the table in the format's shape, keeping the numbers read (unsafe: the alignment is a guess).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for table in ctx.report.tables.iter().filter(|t| !t.mixes_editions()) {
        let spec = &ctx.profile.tables[table.spec];
        for row in &table.rows {
            let n = row.cells.len();
            let found = row.found;
            if found == n {
                continue;
            }
            let columns: Vec<&str> = spec
                .columns_of(row.spec)
                .iter()
                .map(|c| c.display_name(ctx.lang))
                .collect();
            let columns = columns.join(if ctx.lang == crate::lang::Lang::Zh {
                "、"
            } else {
                ", "
            });
            let message = if spec.layout == Layout::SingleRow {
                tr!(
                    ctx.lang,
                    "数据行有 {found} 个数值，应为 {n} 个（{columns}）",
                    "The row of figures has {found} values; it should have {n} ({columns})"
                )
            } else {
                let label = &spec.rows[row.spec].label;
                tr!(
                    ctx.lang,
                    "「{label}」行有 {found} 个数值，应为 {n} 个（{columns}）",
                    "The row “{label}” has {found} values; it should have {n} ({columns})"
                )
            };
            acc.push(
                ctx.diag(&META, row.range, message)
                    .with_fix_opt(super::t001_table_missing::rewrite_fix(ctx, table)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report, set_row};

    #[test]
    fn short_row() {
        let text = set_row(
            &clean_report(Flavour::Plain),
            "（一）予以公开",
            "0 0 0 0 0 0",
        );
        let out = check_rule("T004", &text);
        assert!(
            out.contains("「（一）予以公开」行有 6 个数值，应为 7 个"),
            "{out}"
        );
    }
}
