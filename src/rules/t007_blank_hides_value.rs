//! T007: a blank cell hides a figure: a total with blank items, or a blank total over items.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;
use crate::tr;

use super::ledger::{instances, Outcome};
use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T007",
    name: "blank-hides-value",
    severity: Severity::Error,
    fix: FixSafety::Unsafe,
    summary: Text::new(
        "空白单元格掩盖了数字：分项空白而合计不为 0，或合计空白而分项不为 0",
        "A blank cell hides a figure: items blank under a non-zero total, or a blank total over non-zero items",
    ),
    why: Text::new(
        "合计为 14 而各分项全部空白，说明分项漏填；这样的空白不能当作 0，否则核对会得出错误的“平衡”。",
        "A total of 14 over blank items means the items were left out; such blanks cannot be read as 0 without making the table look balanced when it is not.",
    ),
    example: "（一）予以公开\t\t\t\t\t\t\t14",
    fix_note: Text::new(
        "合计空白时填入分项之和（需确认）；分项空白时无自动修复。",
        "A blank total can be set to the items' sum (unsafe); blank items have no fix.",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for inst in instances(ctx) {
        let Outcome::Hidden {
            total_blank,
            lhs,
            rhs,
        } = inst.evaluate()
        else {
            continue;
        };
        let Some(total) = inst.total() else {
            continue;
        };
        let along = inst.along;
        let total_name = total.name;
        if total_blank {
            let message = tr!(
                ctx.lang,
                "「{along}」的「{total_name}」为空，但各项之和为 {rhs}",
                "“{total_name}” of “{along}” is blank, but its items add up to {rhs}"
            );
            acc.push(
                ctx.diag(&META, total.cell.slot, message)
                    .with_fix_opt(inst.set_total_fix(ctx, rhs)),
            );
        } else {
            let range = inst
                .rhs
                .iter()
                .map(|t| t.cell.slot)
                .reduce(|a, b| a.cover(b))
                .unwrap_or(total.cell.range);
            let message = tr!(
                ctx.lang,
                "「{along}」的各项均为空，「{total_name}」却为 {lhs}：空白掩盖了数字，请填写各项",
                "The items of “{along}” are all blank, yet “{total_name}” is {lhs}: the blanks hide figures; fill in the items"
            );
            acc.push(ctx.diag(&META, range, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report, set_row};

    #[test]
    fn blank_items_under_a_total() {
        let text = clean_report(Flavour::Plain);
        let text = text.replace(
            "（一）予以公开\t\t0\t0\t0\t0\t0\t0\t0",
            "（一）予以公开\t\t\t\t\t\t\t\t14",
        );
        let out = check_rule("T007", &text);
        assert!(
            out.contains("「（一）予以公开」的各项均为空，「总计」却为 14"),
            "{out}"
        );
    }

    #[test]
    fn blank_total() {
        let text = set_row(&clean_report(Flavour::Plain), "2.重复申请", "5 0 0 0 0 0 /");
        insta::assert_snapshot!(check_rule("T007", &text), @"
        65:22 error 「2.重复申请」的「总计」为空，但各项之和为 5
          fix (unsafe): 将合计改为 5
          -		2.重复申请	5	0	0	0	0	0	/
          +		2.重复申请	5	0	0	0	0	0	5
        ");
    }
}
