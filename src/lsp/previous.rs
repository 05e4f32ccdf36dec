//! Last year's report for an open document: another open document, or a file beside it on
//! disk, of the same body and the year before.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tower_lsp::lsp_types as lsp;

use crate::document::Document;
use crate::rules::is_last_year;
use crate::workspace::Siblings;
use crate::Previous;

use super::server::State;

/// Finds last year's reports for one document while its analysis runs.
pub struct Finder {
    pub state: Arc<Mutex<State>>,
    pub siblings: Arc<Mutex<Siblings>>,
    pub uri: lsp::Url,
}

impl Finder {
    /// For each report of `doc` with a year: an open document or a file beside this one that
    /// holds the same body's report of the year before. Also the open documents used, so
    /// that a change to them checks this one again.
    pub fn find(&self, doc: &Document) -> (Vec<Arc<Previous>>, Vec<lsp::Url>) {
        let mut found: Vec<Arc<Previous>> = Vec::new();
        let mut used = Vec::new();
        let here = self.uri.to_file_path().ok();
        let dir = here.as_deref().and_then(Path::parent);
        let mut open_paths: Option<Vec<PathBuf>> = None;
        let mut siblings_left = true;
        for report in doc.reports.iter().filter(|r| r.year.is_some()) {
            let open = {
                let st = super::server::lock(&self.state);
                if open_paths.is_none() {
                    open_paths = Some(
                        st.docs
                            .values()
                            .filter_map(|d| d.canonical.clone())
                            .collect(),
                    );
                }
                st.docs
                    .iter()
                    .filter(|(u, _)| **u != self.uri)
                    .find_map(|(u, d)| {
                        let snap = d.snapshot.as_ref()?;
                        snap.analysis
                            .document
                            .reports
                            .iter()
                            .any(|r| is_last_year(report, r))
                            .then(|| (u.clone(), snap.as_previous(&display(u, dir))))
                    })
            };
            let p = match open {
                Some((u, p)) => {
                    used.push(u);
                    Some(p)
                }
                None if !siblings_left => None,
                None => dir.and_then(|dir| {
                    let mut siblings = self.siblings.lock().unwrap_or_else(|e| e.into_inner());
                    siblings
                        .relist_after
                        .get_or_insert(std::time::Duration::from_secs(2));
                    let open = open_paths.as_deref().unwrap_or_default();
                    let skip = |p: &Path| open.iter().any(|o| o == p);
                    if !siblings.any_candidate(dir, &skip) {
                        // Known to hold no other file: the other reports need not ask.
                        siblings_left = false;
                        return None;
                    }
                    siblings.find(dir, report, &skip)
                }),
            };
            if let Some(p) = p {
                if !found.iter().any(|f| Arc::ptr_eq(f, &p)) {
                    found.push(p);
                }
            }
        }
        (found, used)
    }
}

/// A document's name in messages: its file name when it is beside this one, else its path.
fn display(uri: &lsp::Url, dir: Option<&Path>) -> String {
    let Ok(path) = uri.to_file_path() else {
        return uri.to_string();
    };
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if Some(parent) == dir => name.to_string_lossy().to_string(),
        _ => path.display().to_string(),
    }
}
