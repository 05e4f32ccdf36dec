//! The command line: `check`, `rule`, `init`, `server`. It converts and routes; the core does the work.

mod args;
mod files;
pub mod output;

use std::ffi::OsString;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::diagnostic::Severity;
use crate::lang::Lang;
use crate::profile::{self, Profile};
use crate::template::Skeleton;
use crate::{analyze, tr, Options};

use args::{CheckArgs, Command, InitArgs};
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

/// A built-in profile by id, or a JSON profile read from a path.
pub fn resolve_profile(spec: &str, lang: Lang) -> Result<Arc<Profile>, String> {
    if let Some(p) = profile::builtin(spec) {
        return Ok(p);
    }
    let text = std::fs::read_to_string(spec).map_err(|e| {
        tr!(
            lang,
            "找不到格式「{spec}」：它既不是内置格式（f2021、f2019），也无法作为文件读取（{e}）",
            "no profile `{spec}`: not a built-in one (f2021, f2019) and not a readable file ({e})"
        )
    })?;
    Profile::from_json(&text)
        .map(Arc::new)
        .map_err(|e| tr!(lang, "格式文件 {spec}:{e}", "profile {spec}:{e}"))
}

enum Outcome {
    Checked(Checked),
    Failed(String),
}

fn check(c: CheckArgs) -> ExitCode {
    let lang = c.lang;
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
    let (inputs, errors) = files::discover(&c.paths, c.stdin_filename.as_deref(), lang);
    let year = default_year();
    let mut failed = !errors.is_empty();
    for e in &errors {
        output::error(lang, e);
    }
    // Check files on every core; print in the order given.
    let slots: Vec<OnceLock<Outcome>> = inputs.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len())
        .max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = inputs.get(i) else {
                    break;
                };
                let outcome = match files::read(input, lang) {
                    Ok(loaded) => {
                        if let Some(enc) = loaded.encoding {
                            let shown = &input.display;
                            output::note(
                                lang,
                                &tr!(
                                    lang,
                                    "{shown} 按 {enc} 编码读取",
                                    "{shown} was read as {enc}"
                                ),
                            );
                        }
                        let opts = Options {
                            lang,
                            flavour: input.flavour,
                            profile: forced.clone(),
                            default_year: Some(year),
                        };
                        let analysis = analyze(&loaded.text, &opts);
                        Outcome::Checked(Checked {
                            display: input.display.clone(),
                            text: loaded.text,
                            diagnostics: analysis.diagnostics,
                        })
                    }
                    Err(m) => Outcome::Failed(m),
                };
                let _ = slots[i].set(outcome);
            });
        }
    });
    let mut checked = Vec::new();
    for slot in slots {
        match slot.into_inner() {
            Some(Outcome::Checked(c)) => checked.push(c),
            Some(Outcome::Failed(m)) => {
                output::error(lang, &m);
                failed = true;
            }
            None => failed = true,
        }
    }
    output::report(&checked, c.format, lang);
    let has_error = checked
        .iter()
        .flat_map(|f| &f.diagnostics)
        .any(|d| d.severity == Severity::Error);
    match (failed, has_error) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    }
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
        Some(path) => {
            let shown = path.display().to_string();
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path);
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
    fn calendar() {
        assert_eq!(civil_from_days(0), (1970, 1));
        assert_eq!(civil_from_days(20_780), (2026, 11));
        assert_eq!(civil_from_days(19_783), (2024, 3));
    }
}
