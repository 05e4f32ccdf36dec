//! Command-line arguments, read by hand: a few flags do not earn a parser dependency.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Each finding with a code frame.
    Text,
    /// One line per finding.
    Concise,
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations.
    Github,
}

#[derive(Debug)]
pub struct CheckArgs {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub profile: Option<String>,
    /// Given on the command line (or by REPORTLINT_LANG); otherwise the configuration's.
    pub lang: Option<Lang>,
    pub stdin_filename: Option<String>,
    pub fix: FixMode,
    /// Print what the fixes would change instead of writing it.
    pub diff: bool,
    pub config: ConfigChoice,
    /// Last year's reports given with `--previous`.
    pub previous: Vec<PathBuf>,
    /// Look for last year's report among the inputs and beside them (`--no-previous` turns it off).
    pub find_previous: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixMode {
    None,
    Safe,
    /// Safe and unsafe fixes.
    All,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigChoice {
    /// The nearest `reportlint.toml` above each file.
    Discover,
    /// This file for every input.
    File(PathBuf),
    /// No configuration file at all.
    None,
}

#[derive(Debug)]
pub struct InitArgs {
    pub year: Option<u16>,
    pub agency: Option<String>,
    pub markdown: bool,
    pub profile: Option<String>,
    pub output: Option<PathBuf>,
    pub lang: Lang,
}

/// `reportlint import FILE [-o OUT]`.
#[derive(Debug)]
pub struct ImportArgs {
    pub input: PathBuf,
    pub output: Option<PathBuf>,
    pub lang: Lang,
}

#[derive(Debug)]
pub enum Command {
    Check(CheckArgs),
    Import(ImportArgs),
    Rule { code: Option<String>, lang: Lang },
    Init(InitArgs),
    Server,
    Dump { paths: Vec<PathBuf> },
    Help,
    Version,
}

/// A usage error: what was wrong, in the user's language.
#[derive(Debug)]
pub struct UsageError(pub String);

fn env_lang() -> Option<Lang> {
    std::env::var("REPORTLINT_LANG")
        .ok()
        .and_then(|v| Lang::from_tag(&v))
}

fn lang_from_env() -> Lang {
    env_lang().unwrap_or_default()
}

pub fn parse(args: Vec<OsString>) -> Result<Command, UsageError> {
    let mut it = args.into_iter().peekable();
    let Some(sub) = it.next() else {
        return Ok(Command::Help);
    };
    let sub = text(sub)?;
    let mut lang = lang_from_env();
    match sub.as_str() {
        "check" => {
            let mut c = CheckArgs {
                paths: Vec::new(),
                format: Format::Text,
                profile: None,
                lang: env_lang(),
                stdin_filename: None,
                fix: FixMode::None,
                diff: false,
                config: ConfigChoice::Discover,
                previous: Vec::new(),
                find_previous: true,
            };
            let mut unsafe_fixes = false;
            let mut only_paths = false;
            while let Some(a) = it.next() {
                // A file name need not be Unicode (names from a zip made on Chinese Windows).
                let a = match a.into_string() {
                    Ok(a) if !only_paths && a != "-" && a.starts_with('-') => a,
                    Ok(a) => {
                        c.paths.push(PathBuf::from(a));
                        continue;
                    }
                    Err(path) => {
                        c.paths.push(PathBuf::from(path));
                        continue;
                    }
                };
                let (flag, inline) = split_flag(&a);
                let take = |it: &mut Args| option_value(flag, &inline, it);
                match flag {
                    "--" => only_paths = true,
                    "--format" | "--output-format" => {
                        c.format = match take(&mut it)?.as_str() {
                            "text" | "full" => Format::Text,
                            "concise" => Format::Concise,
                            "json" => Format::Json,
                            "sarif" => Format::Sarif,
                            "github" => Format::Github,
                            other => {
                                return Err(UsageError(format!(
                                    "unknown format `{other}` (expected text, concise, json, sarif or github)"
                                )))
                            }
                        }
                    }
                    "--profile" => c.profile = Some(take(&mut it)?),
                    "--lang" => c.lang = Some(parse_lang(&take(&mut it)?)?),
                    "--stdin-filename" => c.stdin_filename = Some(take(&mut it)?),
                    "--fix" => c.fix = FixMode::Safe,
                    "--unsafe-fixes" => unsafe_fixes = true,
                    "--diff" => c.diff = true,
                                        "--config" => c.config = ConfigChoice::File(path_value(flag, &inline, &mut it)?),
                    "--no-config" => c.config = ConfigChoice::None,
                    "--previous" => c.previous.push(path_value(flag, &inline, &mut it)?),
                    "--no-previous" => c.find_previous = false,
                    other => {
                        return Err(UsageError(format!("unknown option `{other}` for `check`")))
                    }
                }
            }
            if unsafe_fixes {
                c.fix = FixMode::All;
            }
            if c.diff && c.fix == FixMode::None {
                c.fix = FixMode::Safe;
            }
            if c.paths.is_empty() {
                c.paths.push(PathBuf::from("."));
            }
            Ok(Command::Check(c))
        }
        "rule" | "rules" => {
            let mut code = None;
            while let Some(a) = it.next() {
                let a = text(a)?;
                let (flag, inline) = split_flag(&a);
                match flag {
                    "--lang" => lang = parse_lang(&option_value(flag, &inline, &mut it)?)?,
                    f if f.starts_with('-') => {
                        return Err(UsageError(format!("unknown option `{f}` for `rule`")))
                    }
                    _ if code.is_none() => code = Some(a),
                    _ => return Err(UsageError("`rule` takes at most one rule code".into())),
                }
            }
            Ok(Command::Rule { code, lang })
        }
        "init" => {
            let mut i = InitArgs {
                year: None,
                agency: None,
                markdown: true,
                profile: None,
                output: None,
                lang,
            };
            while let Some(a) = it.next() {
                let a = text(a)?;
                let (flag, inline) = split_flag(&a);
                let take = |it: &mut Args| option_value(flag, &inline, it);
                match flag {
                    "--year" => {
                        let y = take(&mut it)?;
                        i.year = Some(
                            y.parse::<u16>()
                                .ok()
                                .filter(|y| (1990..=2200).contains(y))
                                .ok_or_else(|| UsageError(format!("`{y}` is not a year")))?,
                        );
                    }
                    "--agency" => i.agency = Some(take(&mut it)?),
                    "--format" => {
                        i.markdown = match take(&mut it)?.as_str() {
                            "md" | "markdown" => true,
                            "txt" | "text" | "plain" => false,
                            other => {
                                return Err(UsageError(format!(
                                    "unknown format `{other}` (expected md or txt)"
                                )))
                            }
                        }
                    }
                    "--profile" => i.profile = Some(take(&mut it)?),
                    "--output" | "-o" => i.output = Some(path_value(flag, &inline, &mut it)?),
                    "--lang" => i.lang = parse_lang(&take(&mut it)?)?,
                    other => {
                        return Err(UsageError(format!("unknown option `{other}` for `init`")))
                    }
                }
            }
            Ok(Command::Init(i))
        }
        "import" => {
            let mut input = None;
            let mut output = None;
            while let Some(a) = it.next() {
                let a = match a.into_string() {
                    Ok(a) => a,
                    Err(path) if input.is_none() => {
                        input = Some(PathBuf::from(path));
                        continue;
                    }
                    Err(_) => return Err(UsageError("`import` takes one file".into())),
                };
                let (flag, inline) = split_flag(&a);
                match flag {
                    "--output" | "-o" => output = Some(path_value(flag, &inline, &mut it)?),
                    "--lang" => lang = parse_lang(&option_value(flag, &inline, &mut it)?)?,
                    f if f.starts_with('-') && f != "-" => {
                        return Err(UsageError(format!("unknown option `{f}` for `import`")))
                    }
                    _ if input.is_none() => input = Some(PathBuf::from(a)),
                    _ => return Err(UsageError("`import` takes one file".into())),
                }
            }
            let input = input.ok_or_else(|| {
                UsageError("`import` needs a file: reportlint import FILE.docx|FILE.html".into())
            })?;
            Ok(Command::Import(ImportArgs {
                input,
                output,
                lang,
            }))
        }
        "server" | "lsp" => {
            for a in it {
                let a = text(a)?;
                if a != "--stdio" {
                    return Err(UsageError(format!("unknown option `{a}` for `server`")));
                }
            }
            Ok(Command::Server)
        }
        "dump" => Ok(Command::Dump {
            paths: it.map(PathBuf::from).collect(),
        }),
        "help" | "--help" | "-h" => Ok(Command::Help),
        "version" | "--version" | "-V" => Ok(Command::Version),
        other => Err(UsageError(format!("unknown command `{other}`"))),
    }
}

type Args = std::iter::Peekable<std::vec::IntoIter<OsString>>;

/// An argument that is not a file name, which must be Unicode.
fn text(a: OsString) -> Result<String, UsageError> {
    a.into_string()
        .map_err(|a| UsageError(format!("argument is not valid Unicode: {a:?}")))
}

/// The value of an option: written inline (`--flag=value`) or the next argument.
fn option_value(flag: &str, inline: &Option<String>, it: &mut Args) -> Result<String, UsageError> {
    match inline {
        Some(v) => Ok(v.clone()),
        None => text(
            it.next()
                .ok_or_else(|| UsageError(format!("{flag} needs a value")))?,
        ),
    }
}

/// A file name given to an option, which need not be Unicode when it is the next argument.
fn path_value(flag: &str, inline: &Option<String>, it: &mut Args) -> Result<PathBuf, UsageError> {
    match inline {
        Some(v) => Ok(PathBuf::from(v)),
        None => it
            .next()
            .map(PathBuf::from)
            .ok_or_else(|| UsageError(format!("{flag} needs a value"))),
    }
}

/// `--flag=value` → (`--flag`, Some(value)); `--flag` → (`--flag`, None).
fn split_flag(a: &str) -> (&str, Option<String>) {
    match a.split_once('=') {
        Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
        _ => (a, None),
    }
}

fn parse_lang(v: &str) -> Result<Lang, UsageError> {
    Lang::from_tag(v)
        .ok_or_else(|| UsageError(format!("unknown language `{v}` (expected zh or en)")))
}

pub const HELP: &str = "\
reportlint: 检查政府信息公开工作年度报告草稿 / checks drafts of government information disclosure annual reports

用法 / Usage:
  reportlint check [OPTIONS] [PATH...]   检查文件或目录（.md .markdown .txt .docx .html），- 表示标准输入
  reportlint import FILE [-o OUT]        把 Word（.docx）或网页（.html）转为 Markdown 报告
  reportlint rule [CODE]                 列出规则，或说明一条规则
  reportlint init [OPTIONS]              输出一份报告骨架
  reportlint server                      以语言服务器（LSP, stdio）方式运行

check 选项 / options:
  --format text|concise|json|sarif|github   输出格式（默认 text）
  --profile f2021|f2019|PATH   使用指定格式，而不是按报告年度选择
  --lang zh|en                 消息语言（默认 zh，或环境变量 REPORTLINT_LANG）
  --stdin-filename NAME        标准输入的文件名（决定 Markdown 或纯文本）
  --fix                        应用安全的修复（写回文件；标准输入则输出修复后的文本）
  --unsafe-fixes               也应用需确认的修复（如把合计改为各项之和）
  --diff                       只显示修复会做的改动，不写文件
  --config FILE                使用此配置文件（默认：每个文件向上查找 reportlint.toml）
  --no-config                  不读取任何配置文件
  --previous FILE              上年报告，用于跨年核对（默认：在输入和同目录文件中按机关和年度查找）
  --no-previous                不查找上年报告

init 选项 / options:
  --year YEAR  --agency NAME  --format md|txt  --profile P  --output FILE

退出码 / exit codes: 0 没有错误 no errors · 1 有错误 errors found · 2 用法或读写错误 usage or IO error
";
