//! Report skeletons from a profile: a whole report, one section, or one table, written as
//! Markdown (pipe tables) or plain text (tab-separated rows).

use crate::document::normalize::chinese_numeral;
use crate::document::{Flavour, Table, Value};
use crate::profile::{Layout, Profile};

/// Placeholder for the agency when none is given.
pub const AGENCY_PLACEHOLDER: &str = "（机关名称）";

#[derive(Clone, Debug)]
pub struct Skeleton<'a> {
    pub profile: &'a Profile,
    pub flavour: Flavour,
    /// `\n` or `\r\n`.
    pub newline: &'a str,
    /// The Markdown level of section headings (2 when not known).
    pub heading_level: Option<u8>,
}

impl Skeleton<'_> {
    fn level(&self) -> Option<u8> {
        match self.flavour {
            Flavour::Markdown => Some(self.heading_level.unwrap_or(2)),
            Flavour::Plain => self.heading_level,
        }
    }

    /// `# 某区2025年政府信息公开工作年度报告`.
    pub fn title(&self, year: Option<u16>, agency: Option<&str>) -> String {
        let year = year.map_or_else(|| "（年份）".to_string(), |y| y.to_string());
        let title = self
            .profile
            .title
            .template
            .replace("{agency}", agency.unwrap_or(AGENCY_PLACEHOLDER))
            .replace("{year}", &year);
        match self.flavour {
            Flavour::Markdown => format!("# {title}"),
            Flavour::Plain => title,
        }
    }

    /// The introduction with the statistics period, if the profile has one.
    pub fn intro(&self, year: Option<u16>, agency: Option<&str>) -> Option<String> {
        let year = year.map_or_else(|| "（年份）".to_string(), |y| y.to_string());
        Some(
            self.profile
                .intro
                .as_ref()?
                .replace("{year}", &year)
                .replace("{agency}", agency.unwrap_or(AGENCY_PLACEHOLDER)),
        )
    }

    /// A whole report: title, introduction and every section with its table.
    pub fn report(&self, year: Option<u16>, agency: Option<&str>) -> String {
        let nl = self.newline;
        let mut out = self.title(year, agency);
        out.push_str(nl);
        out.push_str(nl);
        out.push_str(&self.body(year, agency));
        out
    }

    /// Everything after the title.
    pub fn body(&self, year: Option<u16>, agency: Option<&str>) -> String {
        self.body_with(year, agency, |_| true)
    }

    /// Everything after the title, with the tables `with_table` accepts (by table index).
    pub fn body_with(
        &self,
        year: Option<u16>,
        agency: Option<&str>,
        with_table: impl Fn(usize) -> bool,
    ) -> String {
        let nl = self.newline;
        let mut out = String::new();
        if let Some(intro) = self.intro(year, agency) {
            out.push_str(&intro);
            out.push_str(nl);
            out.push_str(nl);
        }
        for (i, s) in self.profile.sections.iter().enumerate() {
            let table = s.table.as_deref().and_then(|id| self.profile.table(id));
            out.push_str(&self.section(i, table.is_some_and(&with_table)));
        }
        out
    }

    /// A section's heading line.
    pub fn heading(&self, spec: usize) -> String {
        let s = &self.profile.sections[spec];
        let text = format!("{}、{}", chinese_numeral(spec as u32 + 1), s.title);
        match self.level() {
            Some(level) => format!("{} {text}", "#".repeat(level as usize)),
            None => text,
        }
    }

    /// A section: heading, placeholder lines and, when `with_table`, its table, ending with a
    /// blank line.
    pub fn section(&self, spec: usize, with_table: bool) -> String {
        let nl = self.newline;
        let s = &self.profile.sections[spec];
        let mut out = self.heading(spec);
        out.push_str(nl);
        out.push_str(nl);
        for line in &s.skeleton {
            out.push_str(line);
            out.push_str(nl);
            out.push_str(nl);
        }
        let table = s.table.as_deref().and_then(|id| self.profile.table(id));
        if let Some(t) = table.filter(|_| with_table) {
            out.push_str(&self.table(t, None));
            out.push_str(nl);
        }
        out
    }

    /// A table with every cell 0, or with the numbers `keep` holds.
    pub fn table(&self, spec: usize, keep: Option<&Table>) -> String {
        let rows = table_rows(self.profile, spec, keep);
        let nl = self.newline;
        let mut out = String::new();
        match self.flavour {
            Flavour::Markdown => {
                for (i, row) in rows.iter().enumerate() {
                    out.push_str(&format!("| {} |", row.join(" | ")));
                    out.push_str(nl);
                    if i == 0 {
                        let sep = vec!["---"; row.len()].join(" | ");
                        out.push_str(&format!("| {sep} |"));
                        out.push_str(nl);
                    }
                }
            }
            Flavour::Plain => {
                for row in &rows {
                    out.push_str(&row.join("\t"));
                    out.push_str(nl);
                }
            }
        }
        out
    }
}

/// The cells of a table, row by row, all rows as wide as the widest.
fn table_rows(profile: &Profile, spec: usize, keep: Option<&Table>) -> Vec<Vec<String>> {
    let t = &profile.tables[spec];
    let value = |row: usize, col: usize| -> String {
        match keep.and_then(|k| k.cell(row, col)).map(|c| c.value) {
            Some(Value::Number(d)) => d.to_string(),
            _ => "0".to_string(),
        }
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    match t.layout {
        Layout::Blocks => {
            let width = 1 + t.width();
            let pad = |mut r: Vec<String>| {
                r.resize(width, String::new());
                r
            };
            for (b, block) in t.blocks.iter().enumerate() {
                rows.push(pad(vec![block.caption.clone()]));
                let mut header = vec![t.notes.first().cloned().unwrap_or_default()];
                header.extend(block.columns.iter().map(|c| c.label.clone()));
                rows.push(pad(header));
                for (r, row) in t
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(r, _)| t.row_block[*r] == Some(b))
                {
                    let mut cells = vec![row.label.clone()];
                    cells.extend((0..block.columns.len()).map(|c| value(r, c)));
                    rows.push(pad(cells));
                }
            }
        }
        Layout::Grid | Layout::SingleRow => {
            let (label_columns, headers) = match &t.skeleton {
                Some(sk) => (sk.label_columns, sk.header_rows.clone()),
                None => {
                    let mut header = vec![String::new()];
                    header.extend(t.columns.iter().map(|c| c.label.clone()));
                    (usize::from(t.layout == Layout::Grid), vec![header])
                }
            };
            rows.extend(headers);
            let mut shown_groups: Vec<&str> = Vec::new();
            for (r, row) in t.rows.iter().enumerate() {
                let mut labels = vec![String::new(); label_columns];
                for (depth, g) in row.groups.iter().enumerate() {
                    if !shown_groups.contains(&g.as_str()) {
                        shown_groups.push(g);
                        if let (Some(slot), Some(group)) =
                            (labels.get_mut(depth), t.groups.iter().find(|x| &x.id == g))
                        {
                            *slot = group.label.clone();
                        }
                    }
                }
                if label_columns > 0 {
                    let at = row.groups.len().min(label_columns - 1);
                    labels[at] = row.label.clone();
                }
                labels.extend((0..t.columns.len()).map(|c| value(r, c)));
                rows.push(labels);
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile;

    #[test]
    fn markdown_table_has_one_separator_and_even_rows() {
        let p = profile::builtin("f2021").unwrap();
        let sk = Skeleton {
            profile: &p,
            flavour: Flavour::Markdown,
            newline: "\n",
            heading_level: None,
        };
        let t3 = sk.table(p.table("t3").unwrap(), None);
        let widths: Vec<usize> = t3.lines().map(|l| l.matches('|').count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{t3}");
        assert_eq!(t3.lines().filter(|l| l.contains("---")).count(), 1);
        assert!(
            t3.contains("| 三、本年度办理结果 | （一）予以公开 |  | 0 |"),
            "{t3}"
        );
        assert!(
            t3.contains("|  | （三）不予公开 | 1.属于国家秘密 | 0 |"),
            "{t3}"
        );
    }
}
