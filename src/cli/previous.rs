//! Finding last year's report for each input: given with `--previous`, among the inputs, or
//! in the input's folder, paired by agency and year.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::document::agency::{body_key, BodyKey};
use crate::document::Report;
use crate::rules::is_last_year;
use crate::workspace::Siblings;
use crate::Previous;

/// What a report may be paired with.
pub struct Pool {
    explicit: Vec<Arc<Previous>>,
    /// The inputs, parsed, with their paths as given (standard input has none).
    inputs: Vec<(Option<PathBuf>, Arc<Previous>)>,
    /// The inputs and explicit files as a folder listing names them (the folder's canonical
    /// path and the file's name): not read again as siblings.
    known: crate::hash::FastSet<OsString>,
    /// The inputs holding a report of each year and body, in input order.
    by_body: HashMap<(u16, BodyKey), Vec<usize>>,
    siblings: Siblings,
    search: bool,
}

impl Pool {
    pub fn new(
        explicit: Vec<(PathBuf, Arc<Previous>)>,
        inputs: Vec<(Option<PathBuf>, Arc<Previous>)>,
        search: bool,
    ) -> Pool {
        // Named as the sibling search's listings name them: the folder resolved once (by the
        // search itself, which keeps it), not each file.
        let mut siblings = Siblings::default();
        let mut folders: HashMap<&Path, PathBuf> = HashMap::new();
        let known = inputs
            .iter()
            .filter_map(|(p, _)| p.as_deref())
            .chain(explicit.iter().map(|(p, _)| p.as_path()))
            .filter_map(|p| {
                let folder = p.parent().unwrap_or(Path::new(""));
                let canonical = folders
                    .entry(folder)
                    .or_insert_with(|| siblings.resolve(folder));
                Some(canonical.join(p.file_name()?).into_os_string())
            })
            .collect();
        let mut by_body: HashMap<(u16, BodyKey), Vec<usize>> = HashMap::new();
        for (i, (_, p)) in inputs.iter().enumerate() {
            let keys: HashSet<(u16, BodyKey)> =
                p.document.reports.iter().filter_map(|r| key(r)).collect();
            for k in keys {
                by_body.entry(k).or_default().push(i);
            }
        }
        Pool {
            explicit: explicit.into_iter().map(|(_, p)| p).collect(),
            inputs,
            known,
            by_body,
            siblings,
            search,
        }
    }

    /// Last year's reports for the input `i`: the explicit ones, and, for each of its reports
    /// with a year, another input or a file beside it that is the same body's the year before.
    pub fn for_input(&mut self, i: usize) -> Vec<Arc<Previous>> {
        let mut out = self.explicit.clone();
        if !self.search {
            return out;
        }
        let (path, file) = self.inputs[i].clone();
        for report in file.document.reports.iter().filter(|r| r.year.is_some()) {
            if self.explicit.iter().any(|p| holds_pair(p, report)) {
                continue;
            }
            // An input holding the same body's report of the year before (as `holds_pair`
            // would find it, without comparing every pair).
            let among_inputs = key(report)
                .and_then(|(year, body)| Some((year.checked_sub(1)?, body)))
                .and_then(|k| self.by_body.get(&k)?.first())
                .map(|&j| self.inputs[j].1.clone());
            let known = &self.known;
            let found = among_inputs.or_else(|| {
                let dir = path.as_deref()?.parent()?;
                self.siblings
                    .find(dir, report, &|p| known.contains(p.as_os_str()))
            });
            if let Some(p) = found {
                if !out.iter().any(|o| Arc::ptr_eq(o, &p)) {
                    out.push(p);
                }
            }
        }
        out
    }
}

/// A report's year and body, by which a report and last year's are paired (as `is_last_year`
/// pairs them).
fn key(report: &Report) -> Option<(u16, BodyKey)> {
    let year = report.year?.value;
    let agency = report.title.as_ref()?.agency.as_ref()?;
    Some((year, body_key(&agency.name)?))
}

/// Whether a parsed file holds last year's report of `report`'s body.
fn holds_pair(p: &Previous, report: &Report) -> bool {
    p.document.reports.iter().any(|r| is_last_year(report, r))
}
