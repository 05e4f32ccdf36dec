//! T010: a table holds a row or numbers the format does not have.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::normalize::normalize;
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T010",
    name: "row-unrecognized",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "表格中有格式没有的行，或不属于任何行的数字",
        "A table holds a row the format lacks, or numbers that belong to no row",
    ),
    why: Text::new(
        "无法识别的行不参与核对；它往往是写错的行名，其数字因此没有被核对。",
        "An unrecognised row is not checked; it is usually a mistyped label whose figures therefore go unchecked.",
    ),
    example: "9.其他原因不予公开\t1\t0\t0\t0\t0\t0\t1",
    fix_note: Text::new("无自动修复。", "No fix."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for table in ctx.report.tables.iter().filter(|t| !t.mixes_editions()) {
        let spec = &ctx.profile.tables[table.spec];
        let name = spec.display_name(ctx.lang);
        for row in &table.unknown_rows {
            let written = row.label.text(ctx.text).trim();
            let options = crate::document::table_suggestions(spec, &normalize(written), 2);
            let message = match options.first() {
                Some(o) => tr!(
                    ctx.lang,
                    "「{written}」不是「{name}」中的行，未参与核对（是否应为「{o}」？）",
                    "“{written}” is not a row of the table ({name}) and is not checked (is it “{o}”?)"
                ),
                None => tr!(
                    ctx.lang,
                    "「{written}」不是「{name}」中的行，未参与核对",
                    "“{written}” is not a row of the table ({name}) and is not checked"
                ),
            };
            acc.push(ctx.diag(&META, row.label.range, message));
        }
        for cell in &table.orphans {
            let written = cell.text(ctx.text).trim();
            let message = tr!(
                ctx.lang,
                "数字「{written}」不属于「{name}」中的任何一行，未参与核对",
                "The number “{written}” belongs to no row of the table ({name}) and is not checked"
            );
            acc.push(ctx.diag(&META, cell.range, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn unknown_row() {
        let text = clean_report(Flavour::Plain).replace(
            "\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n",
            "\t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n\t\t9.其他原因不予公开\t1\t0\t0\t0\t0\t0\t1\n",
        );
        insta::assert_snapshot!(check_rule("T010", &text), @"61:3 warning 「9.其他原因不予公开」不是「收到和处理政府信息公开申请情况表」中的行，未参与核对");
    }
}
