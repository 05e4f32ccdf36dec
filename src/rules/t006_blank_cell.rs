//! T006: a cell is blank, or holds `/`, `-` or `无`, and is read as zero.

use crate::hash::FastSet;

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::{BlankKind, Value};
use crate::lang::Text;
use crate::text::TextEdit;
use crate::tr;

use super::ledger::{instances, Outcome};
use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T006",
    name: "blank-cell",
    severity: Severity::Hint,
    fix: FixSafety::Safe,
    summary: Text::new(
        "空白或「/」「-」「无」单元格按 0 计算，建议写 0",
        "A blank, /, - or 无 cell is read as zero; write 0",
    ),
    why: Text::new(
        "空白单元格看不出是“没有发生”还是“漏填”；写 0 消除歧义，也便于汇总。",
        "A blank cell does not say whether nothing happened or the figure was left out; 0 says it, and totals cleanly.",
    ),
    example: "规章\t/\t/\t/",
    fix_note: Text::new("写入 0（安全）。", "Writes 0 (safe)."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    // Blanks that hide a value are T007's, and an error there.
    let hidden: FastSet<(usize, usize)> = instances(ctx)
        .iter()
        .filter(|i| matches!(i.evaluate(), Outcome::Hidden { .. }))
        .flat_map(|i| i.lhs.iter().chain(&i.rhs))
        .map(|t| (t.cell.slot.start, t.cell.slot.end))
        .collect();
    for table in ctx.report.tables.iter().filter(|t| !t.mixes_editions()) {
        let spec = &ctx.profile.tables[table.spec];
        for row in &table.rows {
            if row.found != row.cells.len() {
                continue;
            }
            // One finding per row: the blank cells, each written 0 by one fix.
            let mut edits = Vec::new();
            let mut range: Option<crate::text::TextRange> = None;
            let mut marks: Vec<&str> = Vec::new();
            for cell in &row.cells {
                let Value::Blank(kind) = cell.value else {
                    continue;
                };
                if hidden.contains(&(cell.slot.start, cell.slot.end)) {
                    continue;
                }
                edits.push(match kind {
                    BlankKind::Empty => {
                        TextEdit::replace(cell.slot, padded(ctx.slice(cell.slot), "0"))
                    }
                    BlankKind::Mark => {
                        marks.push(cell.text(ctx.text).trim());
                        TextEdit::replace(cell.range, "0")
                    }
                });
                let r = if cell.range.is_empty() {
                    cell.slot
                } else {
                    cell.range
                };
                range = Some(range.map_or(r, |x| x.cover(r)));
            }
            let Some(range) = range else {
                continue;
            };
            let n = edits.len();
            let label = &spec.rows[row.spec].label;
            let what = if label.is_empty() {
                tr!(ctx.lang, "数据行", "the row of figures")
            } else {
                ctx.q(label)
            };
            marks.dedup();
            let message = if marks.is_empty() {
                tr!(
                    ctx.lang,
                    "{what}有 {n} 个空白单元格，按 0 计算，建议填写 0",
                    "{what} has {n} blank cell(s), read as 0; write 0"
                )
            } else {
                let shown = marks.iter().map(|m| ctx.q(m)).collect::<Vec<_>>().join("");
                tr!(
                    ctx.lang,
                    "{what}有 {n} 个空白或{shown}单元格，按 0 计算，建议填写 0",
                    "{what} has {n} cell(s) blank or {shown}, read as 0; write 0"
                )
            };
            let fix = Fix::safe(tr!(ctx.lang, "填写 0", "Write 0"), edits);
            acc.push(ctx.diag(&META, range, message).with_fix(fix));
        }
    }
}

/// `value` written into an empty slot, keeping the slot's padding on either side.
pub(crate) fn padded(slot: &str, value: &str) -> String {
    let lead = if slot.starts_with(' ') { " " } else { "" };
    let trail = if slot.len() > 1 && slot.ends_with(' ') {
        " "
    } else {
        ""
    };
    format!("{lead}{value}{trail}")
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_rule, check_rule_md};

    #[test]
    fn blanks_and_marks() {
        let text = "某县2021年政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t/\t\t0\n";
        insta::assert_snapshot!(check_rule("T006", text), @"
        5:4 hint 「规章」有 2 个空白或「/」单元格，按 0 计算，建议填写 0
          fix (safe): 填写 0
          -规章	/		0
          +规章	0	0	0
        ");
        let md = "# 某县2021年政府信息公开工作年度报告\n\n## 二、主动公开政府信息情况\n\n| 第二十条第（一）项 | | | |\n|---|---|---|---|\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 |  | 0 | 0 |\n";
        insta::assert_snapshot!(check_rule_md("T006", md), @"
        8:7 hint 「规章」有 1 个空白单元格，按 0 计算，建议填写 0
          fix (safe): 填写 0
          -| 规章 |  | 0 | 0 |
          +| 规章 | 0 | 0 | 0 |
        ");
    }
}
