//! Files around a report, for the command line and the server alike: finding and loading
//! `reportlint.toml`, and loading profiles named by id or by path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, Config};
use crate::lang::Lang;
use crate::profile::{self, Profile};
use crate::tr;

/// A configuration file and what it says.
#[derive(Clone, Debug)]
pub struct Settings {
    pub path: PathBuf,
    pub config: Config,
    /// The profile it names, loaded.
    pub profile: Option<Arc<Profile>>,
}

impl Settings {
    /// The directory the file is in: relative paths in it start here.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Whether a file found by walking a directory is to be checked.
    pub fn includes(&self, file: &Path) -> bool {
        let Ok(rel) = file.strip_prefix(self.dir()) else {
            return true;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if self
            .config
            .exclude
            .iter()
            .any(|g| g.matches_path_or_parent(&rel))
        {
            return false;
        }
        self.config.include.is_empty() || self.config.include.iter().any(|g| g.matches(&rel))
    }

    /// Whether a directory is excluded as a whole.
    pub fn excludes_dir(&self, dir: &Path) -> bool {
        let Ok(rel) = dir.strip_prefix(self.dir()) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        !rel.is_empty()
            && self
                .config
                .exclude
                .iter()
                .any(|g| g.matches_path_or_parent(&rel))
    }
}

/// The nearest `reportlint.toml` in `dir` or a directory above it.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    start
        .ancestors()
        .map(|d| d.join(config::FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads a configuration file and the profile it names. The error names the file, line and column.
pub fn load_settings(path: &Path, lang: Lang) -> Result<Settings, String> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        tr!(
            lang,
            "{shown}：无法读取（{e}）",
            "{shown}: cannot read ({e})"
        )
    })?;
    let config = config::parse(&text).map_err(|e| format!("{shown}:{e}"))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let profile = match &config.profile {
        Some(spec) => {
            Some(resolve_profile(spec, Some(dir), lang).map_err(|m| format!("{shown}: {m}"))?)
        }
        None => None,
    };
    Ok(Settings {
        path: path.to_path_buf(),
        config,
        profile,
    })
}

/// A built-in profile by id, or a JSON profile read from a path (relative to `base`).
pub fn resolve_profile(
    spec: &str,
    base: Option<&Path>,
    lang: Lang,
) -> Result<Arc<Profile>, String> {
    if let Some(p) = profile::builtin(spec) {
        return Ok(p);
    }
    let path = PathBuf::from(spec);
    let path = match base {
        Some(b) if path.is_relative() => b.join(path),
        _ => path,
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        tr!(
            lang,
            "找不到格式「{spec}」：它既不是内置格式（f2021、f2019），也无法作为文件读取（{e}）",
            "no profile `{spec}`: not a built-in one (f2021, f2019) and not a readable file ({e})"
        )
    })?;
    Profile::from_json(&text)
        .map(Arc::new)
        .map_err(|e| tr!(lang, "格式文件 {shown}:{e}", "profile {shown}:{e}"))
}

/// Files in a folder looked at for last year's report, at most.
const MAX_SIBLINGS: usize = 500;
/// Larger files are not read as candidates.
const MAX_SIBLING_BYTES: u64 = 16 << 20;

/// Reports on disk beside a file, for pairing a report with last year's: each file is read
/// and parsed when first needed, and again when it changes; a file that does not mention the
/// year sought is not parsed.
#[derive(Default)]
pub struct Siblings {
    /// By canonical path: when the file was modified, and what it holds (`None`: unreadable).
    files: std::collections::HashMap<PathBuf, Cached>,
    /// By canonical directory: when it was listed, and its candidate files.
    listed: std::collections::HashMap<PathBuf, (std::time::Instant, Arc<[PathBuf]>)>,
    /// Directories as given, and their canonical paths, found again with the listing: an
    /// editor asks for every report of a compendium on every keystroke.
    canonical: std::collections::HashMap<PathBuf, PathBuf>,
    /// A listing older than this is read again (`None`: never).
    pub relist_after: Option<std::time::Duration>,
}

struct Cached {
    modified: Option<std::time::SystemTime>,
    /// What it was searched for when its title did not match (see [`Wanted`]); `None` when
    /// parsed.
    lacks: Option<String>,
    parsed: Option<Arc<crate::Previous>>,
}

impl Siblings {
    /// A file in `dir` that holds last year's report of `report`'s body. `skip` leaves out
    /// files known otherwise (inputs, open documents), by canonical path; names in messages
    /// are `dir` joined with the file name.
    pub fn find(
        &mut self,
        dir: &Path,
        report: &crate::document::Report,
        skip: &dyn Fn(&Path) -> bool,
    ) -> Option<Arc<crate::Previous>> {
        let wanted = Wanted::of(report)?;
        let (key, relist) = self.listing(dir);
        let candidates = self.listed[&key].1.clone();
        for path in candidates.iter().filter(|p| !skip(p)) {
            let cached = self.files.get(path);
            let lacks_other_year =
                cached.is_some_and(|c| c.lacks.as_ref().is_some_and(|k| *k != wanted.key));
            if relist || cached.is_none() || lacks_other_year {
                let meta = std::fs::metadata(path).ok();
                let modified = meta.as_ref().and_then(|m| m.modified().ok());
                let fresh = cached.is_some_and(|c| c.modified == modified) && !lacks_other_year;
                if !fresh {
                    let name = dir.join(path.file_name()?).display().to_string();
                    let too_big = meta.is_none_or(|m| !m.is_file() || m.len() > MAX_SIBLING_BYTES);
                    let cached = if too_big {
                        Cached {
                            modified,
                            lacks: None,
                            parsed: None,
                        }
                    } else {
                        read_candidate(path, name, &wanted, modified)
                    };
                    self.files.insert(path.clone(), cached);
                }
            }
            let parsed = self.files.get(path).and_then(|c| c.parsed.clone());
            if let Some(p) = parsed {
                if p.document
                    .reports
                    .iter()
                    .any(|r| crate::rules::is_last_year(report, r))
                {
                    return Some(p);
                }
            }
        }
        None
    }

    /// Whether `dir` may hold a file with reports, besides those `skip` leaves out: false only
    /// when its listing is fresh and has none, so that no report of a document needs a
    /// search (an open compendium asks for each of its reports on every keystroke).
    pub fn any_candidate(&self, dir: &Path, skip: &dyn Fn(&Path) -> bool) -> bool {
        let listed = self.canonical.get(dir).and_then(|key| self.listed.get(key));
        match listed {
            Some((at, paths)) if !self.stale(at) => paths.iter().any(|p| !skip(p)),
            _ => true,
        }
    }

    /// The canonical path of `dir` (the current folder for an empty path; `dir` itself when it
    /// cannot be resolved), which its listing is kept under and names its files with; resolved
    /// now and remembered.
    pub fn resolve(&mut self, dir: &Path) -> PathBuf {
        let key = std::fs::canonicalize(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
        .unwrap_or_else(|_| dir.to_path_buf());
        self.canonical.insert(dir.to_path_buf(), key.clone());
        key
    }

    /// Whether a listing made at `at` is to be read again.
    fn stale(&self, at: &std::time::Instant) -> bool {
        self.relist_after.is_some_and(|d| at.elapsed() > d)
    }

    /// The canonical key of `dir`, listed (again when the listing is stale: an editor asks on
    /// every keystroke, and files are listed and re-read if modified only then), and whether
    /// it was listed just now.
    fn listing(&mut self, dir: &Path) -> (PathBuf, bool) {
        let known = self
            .canonical
            .get(dir)
            // Resolved again only with a stale listing (the folder may have moved since).
            .filter(|key| self.listed.get(*key).is_none_or(|(at, _)| !self.stale(at)))
            .cloned();
        // A folder that does not exist (a document not yet saved, a path from another machine)
        // is listed as empty, and asked about again only when that is stale.
        let key = known.unwrap_or_else(|| self.resolve(dir));
        let relist = self.listed.get(&key).is_none_or(|(at, _)| self.stale(at));
        if relist {
            self.listed
                .insert(key.clone(), (std::time::Instant::now(), list(&key).into()));
        }
        (key, relist)
    }
}

/// The files of a directory that may hold reports, sorted.
fn list(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            !hidden && crate::cli::files::has_extension(p)
        })
        .collect();
    paths.sort();
    paths.truncate(MAX_SIBLINGS);
    paths
}

/// What the title of last year's report of a body must mention: the year before and the
/// body's innermost division (or, without one, its organ).
struct Wanted {
    year: String,
    token: Option<String>,
    /// Both, for remembering a file that did not match.
    key: String,
}

impl Wanted {
    fn of(report: &crate::document::Report) -> Option<Wanted> {
        let year = report.year?.value.checked_sub(1)?.to_string();
        let token = report
            .title
            .as_ref()
            .and_then(|t| t.agency.as_ref())
            .map(|a| crate::document::agency::AgencyParts::split(&a.name))
            .and_then(|p| match p.innermost() {
                Some(d) => Some(d.to_string()),
                None => {
                    let organ = p.organ.trim_start_matches("人民政府");
                    (!organ.is_empty()).then(|| organ.to_string())
                }
            });
        let key = format!("{year}|{}", token.as_deref().unwrap_or(""));
        Some(Wanted { year, token, key })
    }

    /// Whether a title near the top of `text` (its first lines, a title split over up to
    /// three of them) mentions the year and the body. Cheap next to parsing the file.
    fn maybe_in(&self, text: &str) -> bool {
        use crate::document::normalize::{normalize, normalizes_to_nothing};
        let lines: Vec<&str> = text
            .lines()
            .filter(|l| !normalizes_to_nothing(l))
            .take(120)
            .collect();
        // Lines are normalised only around a line that can name a report: its `报告` or `年报`
        // has a `报` before normalising too. Most siblings have a few such lines at most.
        let mut normalized: Vec<Option<String>> = vec![None; lines.len()];
        let mut norm = |i: usize| -> String {
            normalized[i]
                .get_or_insert_with(|| normalize(lines[i]))
                .clone()
        };
        (0..lines.len()).any(|i| {
            if !lines[i].contains('报') {
                return false;
            }
            let own = norm(i);
            if !(own.contains("报告") || own.contains("年报")) {
                return false;
            }
            let window: String = (i.saturating_sub(2)..=i).map(&mut norm).collect();
            window.contains(&self.year)
                && self
                    .token
                    .as_ref()
                    .is_none_or(|t| window.contains(t.as_str()))
        })
    }
}

fn read_candidate(
    path: &Path,
    name: String,
    wanted: &Wanted,
    modified: Option<std::time::SystemTime>,
) -> Cached {
    let input = crate::cli::files::input_for(path);
    let Ok(loaded) = crate::cli::files::read(&input, Lang::Zh) else {
        return Cached {
            modified,
            lacks: None,
            parsed: None,
        };
    };
    if !wanted.maybe_in(&loaded.text) {
        return Cached {
            modified,
            lacks: Some(wanted.key.clone()),
            parsed: None,
        };
    }
    Cached {
        modified,
        lacks: None,
        parsed: Some(Arc::new(crate::Previous::parse(
            name,
            loaded.text,
            input.flavour,
            false,
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_of_skipped_files_has_no_candidates_once_listed() {
        let dir = std::env::temp_dir().join(format!("reportlint-siblings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.md", "b.md", "notes.bin"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let mut siblings = Siblings {
            relist_after: Some(std::time::Duration::from_secs(600)),
            ..Siblings::default()
        };
        let named = |names: &'static [&'static str]| {
            move |p: &Path| names.iter().any(|n| p.file_name().is_some_and(|f| f == *n))
        };
        // Not listed yet: it may hold anything.
        assert!(siblings.any_candidate(&dir, &named(&["a.md", "b.md"])));
        let (key, relisted) = siblings.listing(&dir);
        assert!(relisted);
        assert!(!siblings.listing(&dir).1, "listed once while fresh");
        assert_eq!(
            siblings.listed[&key].1.len(),
            2,
            "only files that may hold reports"
        );
        assert!(siblings.any_candidate(&dir, &named(&["a.md"])));
        assert!(!siblings.any_candidate(&dir, &named(&["a.md", "b.md"])));
        std::fs::remove_dir_all(&dir).unwrap();
        // A folder that does not exist lists as empty, once.
        let gone = dir.join("gone");
        assert!(siblings.listing(&gone).1);
        assert!(!siblings.listing(&gone).1);
        assert!(!siblings.any_candidate(&gone, &named(&[])));
    }

    /// What `maybe_in` was before it normalised only around `报`: it must answer the same.
    fn maybe_in_reference(wanted: &Wanted, text: &str) -> bool {
        let lines: Vec<String> = text
            .lines()
            .map(crate::document::normalize::normalize)
            .filter(|l| !l.is_empty())
            .take(120)
            .collect();
        (0..lines.len()).any(|i| {
            let window = lines[i.saturating_sub(2)..=i].concat();
            (lines[i].contains("报告") || lines[i].contains("年报"))
                && window.contains(&wanted.year)
                && wanted
                    .token
                    .as_ref()
                    .is_none_or(|t| window.contains(t.as_str()))
        })
    }

    #[test]
    fn title_prefilter_answers_as_before() {
        let mut texts: Vec<String> = Vec::new();
        for dir in ["tests/fixtures/seeds", "tests/fixtures/corpus"] {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in entries.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
        texts.push("某区\n\n 2021 年 政 府 信 息 公 开\n工作年度报告\n".into());
        texts.push("“芙蓉区”２０２１年报\n".into());
        assert!(texts.len() > 3, "fixtures were found");
        // Each text's own body and year (it must match), and others'.
        let mut wanted = Vec::new();
        for t in &texts {
            let doc = crate::analyze(t, &crate::Options::default()).document;
            for r in &doc.reports {
                if let Some(mut w) = r.year.and_then(|_| Wanted::of(r)) {
                    // `of` asks for the year before; ask for this one too.
                    wanted.push(Wanted {
                        year: r.year.map(|y| y.value.to_string()).unwrap_or_default(),
                        token: w.token.clone(),
                        key: String::new(),
                    });
                    w.key.clear();
                    wanted.push(w);
                }
            }
        }
        wanted.push(Wanted {
            year: "2021".into(),
            token: Some("芙蓉区".into()),
            key: String::new(),
        });
        let mut matched = 0;
        for t in &texts {
            for w in &wanted {
                let expected = maybe_in_reference(w, t);
                assert_eq!(w.maybe_in(t), expected, "{} {:?}", w.year, w.token);
                matched += usize::from(expected);
            }
        }
        assert!(matched >= texts.len(), "most texts match their own title");
    }
}
