//! A plain-text outline of the model, for snapshot tests and `reportlint dump`.

use std::fmt::Write;

use super::*;
use crate::line_index::{ColumnUnit, LineIndex};
use crate::profile::LabelRef;

/// Describes what was read: reports, titles, sections, sub-items and every table cell.
pub fn dump(text: &str, doc: &Document) -> String {
    let idx = LineIndex::new(text);
    let mut out = String::new();
    let full = text;
    for (n, report) in doc.reports.iter().enumerate() {
        // The report's ranges, and so its cells', are relative to its own text.
        let text = report.text(full);
        let at = |r: TextRange| {
            let a = idx.line_col(full, report.abs(r).start, ColumnUnit::Char);
            format!("{}:{}", a.line + 1, a.col + 1)
        };
        let year = match report.year {
            Some(y) => format!("{} from {:?}", y.value, y.source),
            None => "unknown".to_string(),
        };
        let _ = writeln!(
            out,
            "report {} at {}: profile {} ({:?}), year {year}",
            n + 1,
            at(report.range),
            report.profile.id,
            report.profile_choice
        );
        match &report.title {
            Some(t) => {
                let agency = t.agency.as_ref().map_or("-", |a| a.name.as_str());
                let _ = writeln!(
                    out,
                    "  title at {}: {} | agency {agency} | rest {}",
                    at(t.range),
                    t.text,
                    t.rest
                );
            }
            None => out.push_str("  title: none\n"),
        }
        if let Some(p) = &report.period {
            let _ = writeln!(
                out,
                "  period at {}: {} to {:?}",
                at(p.range),
                p.start_year,
                p.end_year
            );
        }
        if let Some(s) = &report.signature {
            let agency = s.agency.as_ref().map_or("-", |a| a.name.as_str());
            let d = s.date;
            let _ = writeln!(
                out,
                "  signature at {}: {agency} | {}-{:02}-{:02}",
                at(d.range),
                d.year,
                d.month,
                d.day
            );
        }
        for s in &report.sections {
            let spec = &report.profile.sections[s.spec];
            let _ = writeln!(
                out,
                "  section {} at {}: {} [{:?}] number {:?} level {:?}",
                spec.id,
                at(s.heading),
                s.title,
                s.quality,
                s.number.map(|n| n.0),
                s.md_level
            );
        }
        for h in &report.unknown_headings {
            let _ = writeln!(
                out,
                "  unknown heading at {}: {:?} {}",
                at(h.range),
                h.number,
                h.title
            );
        }
        let subs: Vec<String> = report
            .subitems
            .iter()
            .map(|s| {
                format!(
                    "{}@{}",
                    s.number,
                    at(s.line).split(':').next().unwrap_or("")
                )
            })
            .collect();
        let _ = writeln!(out, "  subitems: {}", subs.join(" "));
        let _ = writeln!(out, "  paragraphs: {}", report.paragraphs.len());
        for t in &report.tables {
            let spec = &report.profile.tables[t.spec];
            let _ = writeln!(
                out,
                "  table {} at {} ({:?}), section {:?}",
                spec.id,
                at(t.range),
                t.shape,
                t.section
            );
            for row in &t.rows {
                let cells: Vec<String> = row.cells.iter().map(|c| cell_text(text, c)).collect();
                let flag = if row.found == row.cells.len() {
                    String::new()
                } else {
                    format!(" [found {}]", row.found)
                };
                let _ = writeln!(
                    out,
                    "    {} {:?} at {}: {}{flag}",
                    spec.rows[row.spec].id,
                    row.label_match,
                    at(row.label.range),
                    cells.join(" ")
                );
            }
            for l in &t.labels {
                if l.label_match != LabelMatch::Exact {
                    let kind = match l.label {
                        LabelRef::Row(_) => "row",
                        LabelRef::Group(_) => "group",
                        LabelRef::Caption(_) => "caption",
                        LabelRef::Column => "column",
                        LabelRef::Note => "note",
                    };
                    let _ = writeln!(
                        out,
                        "    {kind} {:?} at {}: {}",
                        l.label_match,
                        at(l.cell.range),
                        l.cell.text(text)
                    );
                }
            }
            for h in &t.unknown_headers {
                let _ = writeln!(
                    out,
                    "    unknown header at {}: {}",
                    at(h.range),
                    h.text(text)
                );
            }
            for g in &t.group_values {
                let cells: Vec<String> = g.values.iter().map(|c| cell_text(text, c)).collect();
                let _ = writeln!(
                    out,
                    "    group with values at {}: {} {}",
                    at(g.label.range),
                    g.label.text(text),
                    cells.join(" ")
                );
            }
            for u in &t.unknown_rows {
                let cells: Vec<String> = u.values.iter().map(|c| cell_text(text, c)).collect();
                let _ = writeln!(
                    out,
                    "    unknown row at {}: {} {}",
                    at(u.label.range),
                    u.label.text(text),
                    cells.join(" ")
                );
            }
            for o in &t.orphans {
                let _ = writeln!(out, "    orphan at {}: {}", at(o.range), o.text(text));
            }
        }
    }
    out
}

fn cell_text(text: &str, c: &Cell) -> String {
    match c.value {
        Value::Number(d) => d.to_string(),
        Value::Blank(BlankKind::Empty) => "∅".to_string(),
        Value::Blank(BlankKind::Mark) => format!("[{}]", c.text(text).trim()),
        Value::Missing => "✗".to_string(),
        Value::Text => format!("?{}", c.text(text).trim()),
    }
}
