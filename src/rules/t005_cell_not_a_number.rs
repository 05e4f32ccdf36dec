//! T005: a table cell is not a number of the kind its column holds.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Cell, Value};
use crate::lang::Text;
use crate::profile::{ColumnSpec, ValueKind};
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T005",
    name: "cell-not-a-number",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new(
        "单元格不是规定类型的数字（件数须为非负整数）",
        "A cell is not a number of its column's kind (counts are whole numbers ≥ 0)",
    ),
    why: Text::new(
        "表中件数只能是非负整数，金额只能是非负数；文字或负数无法汇总，也说明填报有误。",
        "Counts are whole numbers and amounts are not negative; text or negative numbers cannot be totalled and show a mistake.",
    ),
    example: "行政许可\t约3000",
    fix_note: Text::new("无自动修复：请填写准确的数字。", "No fix: write the exact number."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for table in ctx.report.tables.iter().filter(|t| !t.mixes_editions()) {
        let spec = &ctx.profile.tables[table.spec];
        for row in &table.rows {
            let columns = spec.columns_of(row.spec);
            for (cell, column) in row.cells.iter().zip(columns) {
                if let Some(problem) = problem(ctx, cell, column) {
                    let label = if spec.rows[row.spec].label.is_empty() {
                        String::new()
                    } else {
                        ctx.q(&spec.rows[row.spec].label)
                    };
                    let col = column.display_name(ctx.lang);
                    let written = cell.text(ctx.text).trim();
                    let message = tr!(
                        ctx.lang,
                        "{label}「{col}」栏的「{written}」{problem}",
                        "“{written}” in {label} column “{col}” {problem}"
                    );
                    acc.push(ctx.diag(&META, cell.range, message));
                }
            }
        }
    }
}

fn problem(ctx: &Ctx, cell: &Cell, column: &ColumnSpec) -> Option<String> {
    let lang = ctx.lang;
    Some(match (cell.value, column.kind) {
        (Value::Text, _) => tr!(lang, "不是数字", "is not a number"),
        (Value::Number(d), kind) if kind.admits(d) => return None,
        (Value::Number(_), ValueKind::Count) => tr!(
            lang,
            "不是非负整数（件数）",
            "is not a whole number ≥ 0 (a count)"
        ),
        (Value::Number(_), ValueKind::Signed) => tr!(lang, "不是整数", "is not a whole number"),
        (Value::Number(_), ValueKind::Amount | ValueKind::Money) => {
            tr!(lang, "是负数", "is negative")
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn text_negative_and_fractions() {
        let text = clean_report(Flavour::Plain)
            .replace("行政许可\t0", "行政许可\t约3000")
            .replace("行政处罚\t0", "行政处罚\t-2")
            .replace("行政事业性收费\t0", "行政事业性收费\t12.5");
        insta::assert_snapshot!(check_rule("T005", &text), @"
        35:6 error 「行政许可」「本年处理决定数量」栏的「约3000」不是数字
        38:6 error 「行政处罚」「本年处理决定数量」栏的「-2」不是非负整数（件数）
        ");
    }
}
