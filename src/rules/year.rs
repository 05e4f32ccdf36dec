//! Relations between a report and the same body's report of the year before (the profile's
//! `year_relations`), shared by the rules that report them.

use crate::document::{Cell, Decimal, Report, Table};
use crate::profile::{expand_ids, ForEach, Profile, TableSpec, YearRelation};
use crate::tr;

use super::ledger::aligned;
use super::Ctx;

/// One named value taking part in a relation.
pub(crate) struct Term<'a> {
    pub name: &'a str,
    pub value: Decimal,
}

/// A relation that does not hold for one row or column.
pub(crate) struct Broken<'a> {
    pub relation: &'a YearRelation,
    /// The row label (for_each row) or column name (for_each column).
    pub along: &'a str,
    /// This year's first left-hand cell: where the finding points.
    pub anchor: &'a Cell,
    /// The left side has one cell: a fix can set it.
    pub single: bool,
    pub this: Decimal,
    pub previous: Decimal,
    pub plus: Vec<Term<'a>>,
    pub minus: Vec<Term<'a>>,
    pub expected: Decimal,
    /// Where last year's value was read, from the start of last year's report.
    pub previous_at: usize,
}

/// The cells one side of a relation names, or `None` when one is missing or not a number.
struct Side<'a> {
    cells: Vec<(&'a Cell, &'a str)>,
}

impl<'a> Side<'a> {
    fn sum(&self) -> Option<Decimal> {
        self.cells.iter().try_fold(Decimal::ZERO, |acc, (c, _)| {
            Some(acc.plus(c.value.as_number()?))
        })
    }

    fn terms(&self) -> Option<Vec<Term<'a>>> {
        self.cells
            .iter()
            .map(|(c, name)| {
                Some(Term {
                    name,
                    value: c.value.as_number()?,
                })
            })
            .collect()
    }
}

/// Every broken instance of the year relations that belong to the rule `code`.
pub(crate) fn broken<'a>(ctx: &Ctx<'a>, code: &str) -> Vec<Broken<'a>> {
    let Some((_, last)) = ctx.previous else {
        return Vec::new();
    };
    let profile: &'a Profile = &ctx.report.profile;
    let mut out = Vec::new();
    for rel in profile.year_relations.iter().filter(|r| r.rule == code) {
        if !rel.across_editions && last.profile.id != profile.id {
            continue;
        }
        let (Some(ours), Some(theirs)) =
            (table_of(ctx.report, &rel.table), table_of(last, &rel.table))
        else {
            continue;
        };
        match rel.for_each {
            ForEach::Row => by_row(rel, ours, theirs, &mut out),
            ForEach::Column => by_column(rel, ours, theirs, &mut out),
        }
    }
    out
}

/// A report's table by profile id, with its spec, unless it mixes editions.
fn table_of<'a>(report: &'a Report, id: &str) -> Option<(&'a TableSpec, &'a Table)> {
    let t = report.profile.table(id)?;
    let table = report.table(t).filter(|t| !t.mixes_editions())?;
    Some((&report.profile.tables[t], table))
}

fn ids<'s>(items: impl Iterator<Item = &'s str>) -> Vec<&'s str> {
    items.collect()
}

fn expand(specs: &[String], universe: &[&str]) -> Vec<usize> {
    specs
        .iter()
        .flat_map(|s| expand_ids(s, universe).unwrap_or_default())
        .collect()
}

fn by_row<'a>(
    rel: &'a YearRelation,
    (spec, table): (&'a TableSpec, &'a Table),
    (last_spec, last_table): (&'a TableSpec, &'a Table),
    out: &mut Vec<Broken<'a>>,
) {
    let rows = ids(spec.rows.iter().map(|r| r.id.as_str()));
    for r in expand(&rel.each, &rows) {
        let Some(row) = table.row(r).filter(|row| row.found == row.cells.len()) else {
            continue;
        };
        let Some(lr) = last_spec.row(&spec.rows[r].id) else {
            continue;
        };
        let Some(last_row) = last_table
            .row(lr)
            .filter(|row| row.found == row.cells.len())
        else {
            continue;
        };
        let side = |row: &'a crate::document::Row,
                    columns: &'a [crate::profile::ColumnSpec],
                    names: &[String]| {
            let universe = ids(columns.iter().map(|c| c.id.as_str()));
            Side {
                cells: expand(names, &universe)
                    .into_iter()
                    .filter_map(|c| {
                        let col = &columns[c];
                        Some((row.cells.get(c)?, col.name.as_deref().unwrap_or(&col.label)))
                    })
                    .collect(),
            }
        };
        let columns = spec.columns_of(r);
        let last_columns = last_spec.columns_of(lr);
        push(
            rel,
            &spec.rows[r].label,
            side(row, columns, &rel.lhs),
            side(last_row, last_columns, &rel.previous),
            side(row, columns, &rel.plus),
            side(row, columns, &rel.minus),
            out,
        );
    }
}

fn by_column<'a>(
    rel: &'a YearRelation,
    (spec, table): (&'a TableSpec, &'a Table),
    (last_spec, last_table): (&'a TableSpec, &'a Table),
    out: &mut Vec<Broken<'a>>,
) {
    let columns = ids(spec.columns.iter().map(|c| c.id.as_str()));
    let rows = ids(spec.rows.iter().map(|r| r.id.as_str()));
    for c in expand(&rel.each, &columns) {
        let column = &spec.columns[c];
        let side = |spec: &'a TableSpec, table: &'a Table, names: &[String]| -> Option<Side<'a>> {
            let cells = expand(names, &rows)
                .into_iter()
                .map(|r| {
                    // Rows are named by id: last year's spec may be another edition.
                    let r = spec.row(rows[r])?;
                    let row = table.row(r).filter(|row| aligned(row))?;
                    let cell = row.cells.get(spec.column_index(r, &column.id)?)?;
                    Some((cell, spec.rows[r].label.as_str()))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(Side { cells })
        };
        let (Some(lhs), Some(previous), Some(plus), Some(minus)) = (
            side(spec, table, &rel.lhs),
            side(last_spec, last_table, &rel.previous),
            side(spec, table, &rel.plus),
            side(spec, table, &rel.minus),
        ) else {
            continue;
        };
        push(
            rel,
            column.name.as_deref().unwrap_or(&column.label),
            lhs,
            previous,
            plus,
            minus,
            out,
        );
    }
}

fn push<'a>(
    relation: &'a YearRelation,
    along: &'a str,
    lhs: Side<'a>,
    previous: Side<'a>,
    plus: Side<'a>,
    minus: Side<'a>,
    out: &mut Vec<Broken<'a>>,
) {
    let (Some(&(anchor, _)), Some(&(last_cell, _))) = (lhs.cells.first(), previous.cells.first())
    else {
        return;
    };
    let (Some(this), Some(prev), Some(plus_terms), Some(minus_terms)) =
        (lhs.sum(), previous.sum(), plus.terms(), minus.terms())
    else {
        return;
    };
    let expected = plus_terms.iter().fold(prev, |acc, t| acc.plus(t.value));
    let expected = minus_terms
        .iter()
        .fold(expected, |acc, t| acc.minus(t.value));
    if this == expected {
        return;
    }
    out.push(Broken {
        relation,
        along,
        anchor,
        single: lhs.cells.len() == 1,
        this,
        previous: prev,
        plus: plus_terms,
        minus: minus_terms,
        expected,
        previous_at: last_cell.range.start,
    });
}

impl Broken<'_> {
    /// `见 2021.md 第 40 行` / `see 2021.md line 40`: where last year's number is.
    pub fn source(&self, ctx: &Ctx) -> String {
        let Some((last, placed)) = ctx.previous else {
            return String::new();
        };
        let at = (placed.offset + self.previous_at).min(last.text.len());
        let line = last.text.as_bytes()[..at]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        let name = &last.name;
        tr!(ctx.lang, "见 {name} 第 {line} 行", "see {name} line {line}")
    }

    /// `10 + 本年制发件数 3 − 本年废止件数 1 = 12`, or just `10`.
    pub fn expected_expr(&self) -> String {
        let mut s = self.previous.to_string();
        if self.plus.is_empty() && self.minus.is_empty() {
            return s;
        }
        for t in &self.plus {
            s.push_str(&format!(" + {} {}", t.name, t.value));
        }
        for t in &self.minus {
            s.push_str(&format!(" − {} {}", t.name, t.value));
        }
        s.push_str(&format!(" = {}", self.expected));
        s
    }
}
