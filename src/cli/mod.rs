//! The command line: `check`, `rule`, `init`, `server`. It converts and routes; the core does the work.

mod args;
mod diff;
pub(crate) mod files;
pub mod output;
mod previous;

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::diagnostic::{Applicability, Severity};
use crate::fix::apply_fixes;
use crate::lang::Lang;
use crate::profile::{self, Profile};
use crate::template::Skeleton;
use crate::workspace::{self, Settings};
use crate::{analyze, tr, Options};

use args::{CheckArgs, Command, ConfigChoice, FixMode, ImportArgs, InitArgs};
use files::Input;
use output::Checked;

/// Runs the command line; the arguments exclude the program name.
pub fn run(argv: Vec<OsString>) -> ExitCode {
    let command = match args::parse(argv) {
        Ok(c) => c,
        Err(args::UsageError(m)) => {
            let lang = std::env::var("REPORTLINT_LANG")
                .ok()
                .and_then(|v| Lang::from_tag(&v))
                .unwrap_or_default();
            output::error(lang, &m);
            output::note(
                lang,
                &tr!(
                    lang,
                    "运行 `reportlint --help` 查看用法",
                    "run `reportlint --help` for usage"
                ),
            );
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Check(c) => check(c),
        Command::Import(i) => import(i),
        Command::Rule { code, lang } => rule(code.as_deref(), lang),
        Command::Init(i) => init(i),
        Command::Server => crate::lsp::run(),
        Command::Dump { paths } => dump(&paths),
        Command::Help => {
            output::stdout(args::HELP);
            ExitCode::SUCCESS
        }
        Command::Version => {
            output::stdout(&format!("reportlint {}\n", env!("CARGO_PKG_VERSION")));
            ExitCode::SUCCESS
        }
    }
}

/// A built-in profile by id, or a JSON profile read from a path relative to the working directory.
pub fn resolve_profile(spec: &str, lang: Lang) -> Result<Arc<Profile>, String> {
    crate::workspace::resolve_profile(spec, None, lang)
}

/// The settings that govern each input: found by walking up from its directory, or given.
struct SettingsCache {
    choice: ConfigChoice,
    lang: Lang,
    /// Loaded files by path; a broken one is kept as its error.
    loaded: HashMap<PathBuf, Result<Arc<Settings>, String>>,
    /// The nearest configuration file of each directory seen.
    found: HashMap<PathBuf, Option<PathBuf>>,
}

impl SettingsCache {
    fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Settings>>, String> {
        let path = match &self.choice {
            ConfigChoice::None => return Ok(None),
            ConfigChoice::File(p) => Some(p.clone()),
            ConfigChoice::Discover => self
                .found
                .entry(dir.to_path_buf())
                .or_insert_with(|| workspace::find_config(dir))
                .clone(),
        };
        let Some(path) = path else {
            return Ok(None);
        };
        let lang = self.lang;
        self.loaded
            .entry(path.clone())
            .or_insert_with(|| workspace::load_settings(&path, lang).map(Arc::new))
            .clone()
            .map(Some)
    }
}

/// The text after fixes, and what is needed to write it back.
struct Fixed {
    input: Input,
    original: Arc<String>,
    applied: usize,
    encoding: Option<&'static str>,
    bom: bool,
    /// The bytes as read, when they are not `original`'s UTF-8.
    bytes: Option<Vec<u8>>,
}

/// How many rounds of fixes at most: a fix may make another one possible.
const FIX_PASSES: usize = 10;

fn check(c: CheckArgs) -> ExitCode {
    let lang = c.lang.unwrap_or_default();
    let forced = match c
        .profile
        .as_deref()
        .map(|p| resolve_profile(p, lang))
        .transpose()
    {
        Ok(p) => p,
        Err(m) => {
            output::error(lang, &m);
            return ExitCode::from(2);
        }
    };
    let mut cache = SettingsCache {
        choice: c.config.clone(),
        lang,
        loaded: HashMap::new(),
        found: HashMap::new(),
    };
    if let ConfigChoice::File(path) = &c.config {
        if let Err(m) = cache.for_dir(path.parent().unwrap_or(Path::new("."))) {
            output::error(lang, &m);
            return ExitCode::from(2);
        }
    }
    // Walking a directory follows the include and exclude of its configuration.
    let walk_settings: std::cell::RefCell<HashMap<PathBuf, Option<Arc<Settings>>>> =
        Default::default();
    let keep = |path: &Path, is_dir: bool| -> bool {
        let Some(parent) = path.parent() else {
            return true;
        };
        let settings = walk_settings
            .borrow_mut()
            .entry(parent.to_path_buf())
            .or_insert_with(|| {
                let found = match &c.config {
                    ConfigChoice::None => None,
                    ConfigChoice::File(p) => Some(p.clone()),
                    ConfigChoice::Discover => workspace::find_config(parent),
                };
                found
                    .and_then(|p| workspace::load_settings(&p, lang).ok())
                    .map(Arc::new)
            })
            .clone();
        match settings {
            Some(s) if is_dir => {
                !s.excludes_dir(&std::fs::canonicalize(path).unwrap_or(path.to_path_buf()))
            }
            Some(s) => s.includes(&std::fs::canonicalize(path).unwrap_or(path.to_path_buf())),
            None => true,
        }
    };
    let (inputs, errors) = files::discover(&c.paths, c.stdin_filename.as_deref(), lang, &keep);
    let mut failed = !errors.is_empty();
    for e in &errors {
        output::error(lang, e);
    }
    // Settings per input, resolved before the work is spread over the cores.
    let cwd = PathBuf::from(".");
    let mut jobs: Vec<(Input, Options, Lang)> = Vec::new();
    let mut reported = HashSet::new();
    for input in inputs {
        let dir = input
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map_or(cwd.clone(), |d| {
                if d.as_os_str().is_empty() {
                    cwd.clone()
                } else {
                    d.to_path_buf()
                }
            });
        let settings = match cache.for_dir(&dir) {
            Ok(s) => s,
            Err(m) => {
                if reported.insert(m.clone()) {
                    output::error(lang, &m);
                }
                failed = true;
                continue;
            }
        };
        let file_lang = c
            .lang
            .or(settings.as_ref().and_then(|s| s.config.lang))
            .unwrap_or_default();
        let opts = Options {
            lang: file_lang,
            flavour: input.flavour,
            profile: forced
                .clone()
                .or_else(|| settings.as_ref().and_then(|s| s.profile.clone())),
            default_year: Some(default_year()),
            rules: settings
                .as_ref()
                .map(|s| s.config.rules.clone())
                .unwrap_or_default(),
            percent_tolerance: settings.as_ref().and_then(|s| s.config.percent_tolerance),
            previous: Vec::new(),
            body: settings.as_ref().and_then(|s| s.config.body),
            deadline: settings.as_ref().and_then(|s| s.config.deadline),
        };
        jobs.push((input, opts, file_lang));
    }
    // Last year's reports given on the command line.
    let mut explicit = Vec::new();
    for path in &c.previous {
        let input = files::input_for(path);
        match files::read(&input, lang) {
            Ok(loaded) => explicit.push((
                path.clone(),
                Arc::new(crate::Previous::parse(
                    input.display.clone(),
                    loaded.text,
                    input.flavour,
                    true,
                )),
            )),
            Err(m) => {
                output::error(lang, &m);
                return ExitCode::from(2);
            }
        }
    }
    // Read and parse every input, then pair each with last year's report, then check.
    // A few inputs: their sizes decide, before they are read (a 3 MB compendium is one file).
    let sizes = if jobs.len() < HUGE_PAGES_FROM_INPUTS {
        jobs.iter()
            .filter_map(|(input, _, _)| std::fs::metadata(input.path.as_ref()?).ok())
            .map(|m| m.len() as usize)
            .sum()
    } else {
        0
    };
    note_input(jobs.len(), sizes);
    let loaded = parallel(&jobs, |(input, opts, file_lang)| {
        load(input, opts, *file_lang)
    });
    let mut ready = Vec::new();
    let mut parsed = Vec::new();
    for ((input, opts, file_lang), l) in jobs.iter().zip(loaded) {
        match l {
            Some(Ok((loaded, file))) => {
                parsed.push((input.path.clone(), file.clone()));
                ready.push((input, opts.clone(), *file_lang, loaded, file));
            }
            Some(Err(m)) => {
                output::error(lang, &m);
                failed = true;
            }
            None => failed = true,
        }
    }
    let mut pool = previous::Pool::new(explicit, parsed, c.find_previous);
    for (i, job) in ready.iter_mut().enumerate() {
        job.1.previous = pool.for_input(i);
    }
    let outcomes = parallel(&ready, |(input, opts, file_lang, loaded, file)| {
        finish(input, opts, *file_lang, loaded, file, c.fix)
    });
    let mut checked = Vec::new();
    let mut fixed = Vec::new();
    for outcome in outcomes {
        match outcome {
            Some((ch, f)) => {
                checked.push(ch);
                fixed.push(f);
            }
            None => failed = true,
        }
    }
    // The language of the summary: the one asked for, else the files' own.
    let lang = c.lang.or_else(|| jobs.first().map(|j| j.2)).unwrap_or(lang);
    let mut changed_any = false;
    let mut stdin_fixed = None;
    for (ch, f) in checked.iter().zip(&fixed) {
        // With --fix, standard input always comes back on stdout, fixed or not.
        if f.input.path.is_none() && c.fix != FixMode::None && !c.diff {
            stdin_fixed = Some(ch.text.clone());
        }
        if ch.text == f.original {
            continue;
        }
        changed_any = true;
        if c.diff {
            output::stdout(&diff::unified(&ch.display, &f.original, &ch.text));
            continue;
        }
        match &f.input.path {
            None => stdin_fixed = Some(ch.text.clone()),
            Some(path) => {
                let bytes = files::encode(&ch.text, f.encoding, f.bom);
                let read = f.bytes.as_deref().unwrap_or(f.original.as_bytes());
                match files::write_atomic(path, read, &bytes, lang) {
                    Ok(()) => {
                        let n = f.applied;
                        let shown = &ch.display;
                        output::note(
                            lang,
                            &tr!(
                                lang,
                                "{shown}：已修复 {n} 处",
                                "{shown}: fixed {n} problem(s)"
                            ),
                        );
                    }
                    Err(m) => {
                        output::error(lang, &m);
                        failed = true;
                    }
                }
            }
        }
    }
    match stdin_fixed {
        // A fixed standard input goes to stdout; the findings to stderr.
        Some(text) => {
            output::stdout(&text);
            output::report_to_stderr(&checked, c.format, lang);
        }
        None if c.diff => {}
        None => output::report(&checked, c.format, lang),
    }
    let has_error = checked
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.severity == Severity::Error);
    match (failed, has_error || (c.diff && changed_any)) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
}

/// Runs `f` over every item on every core; `None` where it panicked (the others go on).
fn parallel<T: Sync, R: Send + Sync>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let run = |item: &T| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(item))).ok();
    static CORES: OnceLock<usize> = OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let workers = cores.min(items.len());
    if workers <= 1 {
        // One input (a pre-commit hook's usual call) or one core: starting a thread would
        // cost more than it saves.
        return items.iter().map(run).collect();
    }
    let slots: Vec<OnceLock<R>> = items.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break;
                };
                if let Some(r) = run(item) {
                    let _ = slots[i].set(r);
                }
            });
        }
    });
    slots.into_iter().map(OnceLock::into_inner).collect()
}

/// A check this large has the allocator's memory backed by huge pages (see `crate::memory`):
/// this many inputs, or this many bytes read. Below (one report, a few) clearing a huge page
/// costs more than the page faults it saves.
const HUGE_PAGES_FROM_INPUTS: usize = 8;
const HUGE_PAGES_FROM_BYTES: usize = 1 << 20;

/// Counts input bytes (each input's once: files' sizes before reading, standard input's when
/// read) and asks for huge pages (once) when the check is large enough; `inputs` is how many
/// inputs the run has.
fn note_input(inputs: usize, bytes: usize) {
    static READ: AtomicUsize = AtomicUsize::new(0);
    static ASKED: std::sync::Once = std::sync::Once::new();
    if is_large_check(inputs, READ.fetch_add(bytes, Ordering::Relaxed) + bytes) {
        ASKED.call_once(crate::memory::prefer_huge_pages);
    }
}

fn is_large_check(inputs: usize, bytes: usize) -> bool {
    inputs >= HUGE_PAGES_FROM_INPUTS || bytes >= HUGE_PAGES_FROM_BYTES
}

/// Reads and parses one input.
fn load(
    input: &Input,
    opts: &Options,
    lang: Lang,
) -> Result<(files::Loaded, Arc<crate::Previous>), String> {
    let mut loaded = files::read(input, lang)?;
    if input.path.is_none() {
        // Standard input: its size is known only now (files were counted before reading).
        note_input(0, loaded.text.len());
    }
    let shown = &input.display;
    if let Some(enc) = loaded.encoding {
        output::note(
            lang,
            &tr!(
                lang,
                "{shown} 按 {enc} 编码读取",
                "{shown} was read as {enc}"
            ),
        );
    }
    if loaded.imported.is_some() {
        output::note(
            lang,
            &tr!(
                lang,
                "{shown} 已转换为 Markdown 后检查：行号和列号指转换后的文本（用 `reportlint import {shown}` 查看）",
                "{shown} was checked as imported Markdown: lines and columns are those of the imported text (see `reportlint import {shown}`)"
            ),
        );
    }
    let blocks = crate::document::lines::split_blocks(&loaded.text);
    let document = crate::document::build(
        &loaded.text,
        &blocks,
        &crate::document::BuildOptions {
            profile: opts.profile.clone(),
            flavour: opts.flavour,
        },
    );
    // The text moves into the parsed file; the rest of the run reads it there.
    let file = Arc::new(crate::Previous::from_document(
        input.display.clone(),
        std::mem::take(&mut loaded.text),
        document,
        false,
    ));
    Ok((loaded, file))
}

/// Fixes (if asked) and checks one parsed input.
fn finish(
    input: &Input,
    opts: &Options,
    lang: Lang,
    loaded: &files::Loaded,
    file: &crate::Previous,
    fix: FixMode,
) -> (Checked, Fixed) {
    let mut text = file.text.clone();
    let mut applied = 0;
    let fix = if loaded.imported.is_some() && fix != FixMode::None {
        let shown = &input.display;
        output::note(
            lang,
            &tr!(
                lang,
                "{shown}：不修改 Word 或网页文件；请用 `reportlint import` 转为 Markdown 后再修复",
                "{shown}: Word and web documents are not fixed; import them with `reportlint import` and fix the Markdown"
            ),
        );
        FixMode::None
    } else {
        fix
    };
    if fix != FixMode::None {
        for _ in 0..FIX_PASSES {
            let analysis = analyze(&text, opts);
            let fixes: Vec<&crate::diagnostic::Fix> = analysis
                .diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| fix == FixMode::All || f.applicability == Applicability::Safe)
                .collect();
            if fixes.is_empty() {
                break;
            }
            let (new, done) = apply_fixes(&text, fixes);
            if done.is_empty() || new == *text {
                break;
            }
            applied += done.len();
            text = Arc::new(new);
        }
    }
    let diagnostics = if applied == 0 {
        crate::check_document(&file.text, &file.document, opts)
    } else {
        analyze(&text, opts).diagnostics
    };
    (
        Checked {
            display: input.display.clone(),
            text,
            diagnostics,
        },
        Fixed {
            input: input.clone(),
            original: file.text.clone(),
            applied,
            encoding: loaded.encoding,
            bom: loaded.bom,
            bytes: loaded.bytes.clone(),
        },
    )
}

fn rule(code: Option<&str>, lang: Lang) -> ExitCode {
    match code {
        None => {
            let mut out = String::new();
            for r in crate::rules::ALL {
                let m = r.meta;
                out.push_str(&format!(
                    "{}  {:<34} {:<7}  {}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.summary.get(lang)
                ));
            }
            output::stdout(&out);
            ExitCode::SUCCESS
        }
        Some(code) => match crate::rules::find(code) {
            Some(r) => {
                output::stdout(&crate::rules::docs::explain(r.meta, lang));
                ExitCode::SUCCESS
            }
            None => {
                output::error(lang, &tr!(lang, "没有规则「{code}」", "no rule `{code}`"));
                ExitCode::from(2)
            }
        },
    }
}

fn init(i: InitArgs) -> ExitCode {
    let lang = i.lang;
    let profile = match i.profile.as_deref() {
        Some(p) => match resolve_profile(p, lang) {
            Ok(p) => p,
            Err(m) => {
                output::error(lang, &m);
                return ExitCode::from(2);
            }
        },
        None => i
            .year
            .map_or_else(|| profile::builtins()[0].clone(), profile::for_year),
    };
    let flavour = if i.markdown {
        crate::document::Flavour::Markdown
    } else {
        crate::document::Flavour::Plain
    };
    let skeleton = Skeleton {
        profile: &profile,
        flavour,
        newline: "\n",
        heading_level: None,
    };
    let year = i.year.or_else(|| Some(default_year()));
    let text = skeleton.report(year, i.agency.as_deref());
    match i.output {
        None => {
            output::stdout(&text);
            ExitCode::SUCCESS
        }
        Some(path) => write_new(&path, &text, lang),
    }
}

/// The year a report started now is most likely for: last year until the end of March
/// (reports are due by 31 January or 31 March), this year after.
pub fn default_year() -> u16 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let (year, month) = civil_from_days(days);
    if month <= 3 {
        year - 1
    } else {
        year
    }
}

/// Year and month of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (u16, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as u16, month)
}

/// `reportlint import`: a Word or web document as a Markdown report, on stdout or into a new file.
fn import(i: ImportArgs) -> ExitCode {
    let lang = i.lang;
    let input = files::input_for(&i.input);
    if input.import.is_none() {
        let shown = &input.display;
        output::error(
            lang,
            &tr!(
                lang,
                "{shown}：只能导入 .docx、.html 或 .htm 文件",
                "{shown}: only .docx, .html and .htm files can be imported"
            ),
        );
        return ExitCode::from(2);
    }
    let loaded = match files::read(&input, lang) {
        Ok(l) => l,
        Err(m) => {
            output::error(lang, &m);
            return ExitCode::from(2);
        }
    };
    for note in loaded.imported.iter().flatten() {
        output::note(lang, note.get(lang));
    }
    match i.output {
        None => {
            output::stdout(&loaded.text);
            ExitCode::SUCCESS
        }
        Some(path) => write_new(&path, &loaded.text, lang),
    }
}

/// Writes a new file, refusing to overwrite one.
fn write_new(path: &Path, text: &str, lang: Lang) -> ExitCode {
    let shown = path.display().to_string();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let written = file.and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            output::error(
                lang,
                &tr!(
                    lang,
                    "{shown} 已存在，不会覆盖",
                    "{shown} exists; not overwriting it"
                ),
            );
            ExitCode::from(2)
        }
        Err(e) => {
            output::error(
                lang,
                &tr!(
                    lang,
                    "无法写入 {shown}（{e}）",
                    "cannot write {shown} ({e})"
                ),
            );
            ExitCode::from(2)
        }
    }
}

fn dump(paths: &[std::path::PathBuf]) -> ExitCode {
    let mut code = ExitCode::SUCCESS;
    for p in paths {
        match std::fs::read(p).ok().and_then(files::decode) {
            Some(loaded) => {
                let opts = Options {
                    flavour: crate::document::Flavour::from_path(&p.display().to_string()),
                    ..Options::default()
                };
                let a = analyze(&loaded.text, &opts);
                output::stdout(&crate::document::dump::dump(&loaded.text, &a.document));
            }
            None => {
                output::error(Lang::Zh, &format!("{}: cannot read", p.display()));
                code = ExitCode::from(2);
            }
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_pages_only_for_large_checks() {
        // One report, or a few: not worth clearing 2 MiB pages.
        assert!(!is_large_check(1, 30_000));
        assert!(!is_large_check(7, 900_000));
        // A directory of reports, or a compendium.
        assert!(is_large_check(8, 0));
        assert!(is_large_check(1, 3_000_000));
    }

    #[test]
    fn calendar() {
        assert_eq!(civil_from_days(0), (1970, 1));
        assert_eq!(civil_from_days(20_780), (2026, 11));
        assert_eq!(civil_from_days(19_783), (2024, 3));
    }
}
