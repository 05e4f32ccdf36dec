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
