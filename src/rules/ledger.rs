//! Sum relations (勾稽关系) evaluated over the tables, shared by the L rules and T007.
//!
//! Every relation in the profile becomes instances: one per row (or column) it covers. An
//! instance knows its cells; evaluating it says whether the sums agree, whether blanks hide a
//! value (T007 reports those, so the L rules skip them), or whether it cannot be judged.

use crate::diagnostic::{Applicability, Fix};
use crate::document::{Cell, Decimal, Value};
use crate::lang::Lang;
use crate::profile::{ForEach, Op, Relation, ValueKind};
use crate::text::TextEdit;
use crate::tr;

use super::Ctx;

/// One cell taking part in a relation, with a name for messages.
#[derive(Clone, Copy)]
pub(crate) struct Term<'a> {
    pub cell: &'a Cell,
    /// The row label (for_each column) or the column name (for_each row).
    pub name: &'a str,
    /// What the cell's column holds.
    pub kind: ValueKind,
}

pub(crate) struct Instance<'a> {
    pub relation: &'a Relation,
    /// The row label or column name this instance is for.
    pub along: &'a str,
    pub lhs: Vec<Term<'a>>,
    pub rhs: Vec<Term<'a>>,
}

pub(crate) enum Outcome {
    Holds,
    /// The sums disagree.
    Broken {
        lhs: Decimal,
        rhs: Decimal,
    },
    /// The single total is written but every part is blank, or the total is blank while the
    /// parts are not: a blank hides a number.
    Hidden {
        total_blank: bool,
        lhs: Decimal,
        rhs: Decimal,
    },
    /// A cell is not a number: T005 reports it.
    Unreadable,
}

/// Every instance of every relation whose cells exist.
pub(crate) fn instances<'c, 'a>(ctx: &'c Ctx<'a>) -> &'c [Instance<'a>] {
    ctx.cache.ledger.get_or_init(|| build(ctx))
}

fn build<'a>(ctx: &Ctx<'a>) -> Vec<Instance<'a>> {
    let report = ctx.report;
    let profile: &'a crate::profile::Profile = &report.profile;
    let mut out = Vec::new();
    for relation in &profile.relations {
        let resolved = relation.resolved();
        let Some(table) = report.table(resolved.table).filter(|t| !t.mixes_editions()) else {
            continue;
        };
        let spec = &profile.tables[resolved.table];
        match relation.for_each {
            ForEach::Row => {
                for (&r, (lhs, rhs)) in resolved.each_rows.iter().zip(&resolved.each_row_columns) {
                    let Some(row) = table.row(r) else {
                        continue;
                    };
                    // A row with the wrong number of cells is T004's; its alignment is a guess.
                    if row.found != row.cells.len() {
                        continue;
                    }
                    let columns = spec.columns_of(r);
                    let terms = |side: &[usize]| -> Vec<Term<'a>> {
                        side.iter()
                            .filter_map(|&c| {
                                Some(Term {
                                    cell: row.cells.get(c)?,
                                    name: columns[c].name.as_deref().unwrap_or(&columns[c].label),
                                    kind: columns[c].kind,
                                })
                            })
                            .collect()
                    };
                    let along: &'a str = &spec.rows[r].label;
                    out.push(Instance {
                        relation,
                        along,
                        lhs: terms(lhs),
                        rhs: terms(rhs),
                    });
                }
            }
            ForEach::Column => {
                for column_id in &resolved.each_columns {
                    let terms = |rows: &[usize]| -> Option<Vec<Term<'a>>> {
                        rows.iter()
                            .map(|&r| {
                                let row = table.row(r).filter(|row| aligned(row))?;
                                let c = spec.column_index(r, column_id)?;
                                Some(Term {
                                    cell: row.cells.get(c)?,
                                    name: &spec.rows[r].label,
                                    kind: spec.columns_of(r).get(c)?.kind,
                                })
                            })
                            .collect()
                    };
                    // A relation over a missing row cannot be judged: T002 reports the row.
                    let (Some(lhs), Some(rhs)) =
                        (terms(&resolved.lhs_rows), terms(&resolved.rhs_rows))
                    else {
                        continue;
                    };
                    let Some(col) = spec.columns.iter().find(|c| &c.id == column_id) else {
                        continue;
                    };
                    out.push(Instance {
                        relation,
                        along: col.name.as_deref().unwrap_or(&col.label),
                        lhs,
                        rhs,
                    });
                }
            }
        }
    }
    out
}

/// Whether a row's cells are in their columns for sure: it had the right number of cells, or
/// every cell but the last (the total) is blank, so shifting them changes nothing.
pub(crate) fn aligned(row: &crate::document::Row) -> bool {
    row.found == row.cells.len()
        || row.cells[..row.cells.len().saturating_sub(1)]
            .iter()
            .all(|c| c.value.is_blank_or_missing())
}

impl Instance<'_> {
    pub fn evaluate(&self) -> Outcome {
        let sum = |terms: &[Term]| -> Option<Decimal> {
            terms.iter().try_fold(Decimal::ZERO, |acc, t| {
                Some(acc.plus(t.cell.value.as_number()?))
            })
        };
        let (Some(lhs), Some(rhs)) = (sum(&self.lhs), sum(&self.rhs)) else {
            return Outcome::Unreadable;
        };
        let holds = match self.relation.op {
            Op::Eq => lhs == rhs,
            Op::Ge => lhs >= rhs,
        };
        if holds {
            return Outcome::Holds;
        }
        if let ([total], Op::Eq) = (self.lhs.as_slice(), self.relation.op) {
            let parts_blank =
                !self.rhs.is_empty() && self.rhs.iter().all(|t| t.cell.value.is_blank_or_missing());
            if total.cell.value.is_written() && !lhs.is_zero() && parts_blank {
                return Outcome::Hidden {
                    total_blank: false,
                    lhs,
                    rhs,
                };
            }
            if total.cell.value.is_blank_or_missing() && !rhs.is_zero() {
                return Outcome::Hidden {
                    total_blank: true,
                    lhs,
                    rhs,
                };
            }
        }
        Outcome::Broken { lhs, rhs }
    }

    /// The single total cell, when the left side is one cell.
    pub fn total(&self) -> Option<&Term<'_>> {
        match self.lhs.as_slice() {
            [t] => Some(t),
            _ => None,
        }
    }

    /// A fix that writes `value` into the total (unsafe: the item may be the wrong number).
    /// None when the sum cannot stand in the total's column (a fraction or a negative number
    /// in a count, from parts T005 reports): the parts need fixing first. None too when the
    /// row lacks the total's cell (T004 reports the short row): there is no place to write.
    pub fn set_total_fix(&self, ctx: &Ctx, value: Decimal) -> Option<Fix> {
        let total = self
            .total()
            .filter(|t| t.kind.admits(value) && t.cell.value != Value::Missing)?;
        Some(set_cell_fix(ctx, total.cell, value, |new| {
            tr!(ctx.lang, "将合计改为 {new}", "Set the total to {new}")
        }))
    }
}

/// An unsafe fix that writes `value` into a cell, keeping its number of decimals; `title`
/// gets the number as written.
pub(crate) fn set_cell_fix(
    ctx: &Ctx,
    cell: &Cell,
    value: Decimal,
    title: impl FnOnce(&str) -> String,
) -> Fix {
    let scale = match cell.value {
        Value::Number(d) => d.scale(),
        _ => value.scale(),
    };
    let new = value.with_scale(scale).to_string();
    let edit = if cell.range.is_empty() {
        TextEdit::replace(
            cell.slot,
            super::t006_blank_cell::padded(ctx.slice(cell.slot), &new),
        )
    } else {
        TextEdit::replace(cell.range, new.clone())
    };
    Fix::new(title(&new), vec![edit], Applicability::Unsafe)
}

/// `34+10+0+4`, shortened when long: the non-zero terms and how many others are zero.
pub(crate) fn expression(lang: Lang, terms: &[Term]) -> String {
    let values: Vec<Decimal> = terms
        .iter()
        .map(|t| t.cell.value.as_number().unwrap_or(Decimal::ZERO))
        .collect();
    let show = |d: &Decimal| {
        if d.is_negative() {
            format!("({d})")
        } else {
            d.to_string()
        }
    };
    if values.len() <= 8 {
        return values.iter().map(show).collect::<Vec<_>>().join("+");
    }
    let nonzero: Vec<String> = values.iter().filter(|d| !d.is_zero()).map(show).collect();
    let zeros = values.len() - nonzero.len();
    if nonzero.is_empty() {
        return "0+0+…+0".to_string();
    }
    let joined = nonzero.join("+");
    if zeros == 0 {
        return joined;
    }
    tr!(
        lang,
        "{joined}，其余 {zeros} 项为 0",
        "{joined}; the other {zeros} are 0"
    )
}

/// Reports every broken instance of the relations that belong to `meta`'s rule.
pub(crate) fn report_broken(
    ctx: &Ctx,
    acc: &mut Vec<crate::diagnostic::Diagnostic>,
    meta: &super::RuleMeta,
) {
    for inst in instances(ctx)
        .iter()
        .filter(|i| i.relation.rule == meta.code)
    {
        let Outcome::Broken { lhs, rhs } = inst.evaluate() else {
            continue;
        };
        let message = broken_message(ctx, inst, lhs, rhs);
        let anchor = inst
            .lhs
            .first()
            .map(|t| t.cell)
            .expect("relations name at least one lhs cell");
        let range = if anchor.range.is_empty() {
            anchor.slot
        } else {
            anchor.range
        };
        let mut d = ctx.diag(meta, range, message);
        if inst.relation.op == Op::Eq {
            d = d.with_fix_opt(inst.set_total_fix(ctx, rhs));
        }
        acc.push(d);
    }
}

fn broken_message(ctx: &Ctx, inst: &Instance, lhs: Decimal, rhs: Decimal) -> String {
    let lang = ctx.lang;
    let rel = inst.relation;
    let side_name =
        |zh: &Option<String>, en: &Option<String>, default_zh: &str, default_en: &str| -> String {
            match lang {
                Lang::Zh => zh.clone().unwrap_or_else(|| default_zh.to_string()),
                Lang::En => en
                    .clone()
                    .or_else(|| zh.clone())
                    .unwrap_or_else(|| default_en.to_string()),
            }
        };
    let rhs_expr = expression(lang, &inst.rhs);
    let along = inst.along;
    if rel.op == Op::Ge {
        let lhs_name = side_name(&rel.lhs_name, &rel.lhs_name_en, "左边各项之和", "the sum");
        let lhs_expr = expression(lang, &inst.lhs);
        return tr!(
            lang,
            "「{along}」：{lhs_name}为 {lhs}（{lhs_expr}），不应小于 {rhs}",
            "“{along}”: {lhs_name} is {lhs} ({lhs_expr}); it cannot be below {rhs}"
        );
    }
    match inst.total() {
        Some(total) => {
            let (default_zh, default_en) = match rel.for_each {
                ForEach::Row => ("各列之和", "the columns add up to"),
                ForEach::Column => ("各项之和", "the items add up to"),
            };
            let rhs_name = side_name(&rel.rhs_name, &rel.rhs_name_en, default_zh, default_en);
            let total_name = total.name;
            match (rel.for_each, along.is_empty()) {
                (ForEach::Row, true) => tr!(
                    lang,
                    "「{total_name}」为 {lhs}，{rhs_name}为 {rhs}（{rhs_expr}）",
                    "“{total_name}” is {lhs}, but {rhs_name} {rhs} ({rhs_expr})"
                ),
                (ForEach::Row, false) => tr!(
                    lang,
                    "「{along}」行{total_name}为 {lhs}，{rhs_name}为 {rhs}（{rhs_expr}）",
                    "“{along}”: {total_name} is {lhs}, but {rhs_name} {rhs} ({rhs_expr})"
                ),
                (ForEach::Column, _) => tr!(
                    lang,
                    "「{total_name}」{along}列为 {lhs}，{rhs_name}为 {rhs}（{rhs_expr}）",
                    "“{total_name}” in column “{along}” is {lhs}, but {rhs_name} {rhs} ({rhs_expr})"
                ),
            }
        }
        None => {
            let lhs_name = side_name(
                &rel.lhs_name,
                &rel.lhs_name_en,
                "左边各项之和",
                "the left side",
            );
            let rhs_name = side_name(
                &rel.rhs_name,
                &rel.rhs_name_en,
                "右边各项之和",
                "the right side",
            );
            let lhs_expr = expression(lang, &inst.lhs);
            tr!(
                lang,
                "「{along}」列：{lhs_name}为 {lhs}（{lhs_expr}），{rhs_name}为 {rhs}（{rhs_expr}），两者应相等",
                "Column “{along}”: {lhs_name} is {lhs} ({lhs_expr}) but {rhs_name} is {rhs} ({rhs_expr}); they must be equal"
            )
        }
    }
}
