//! `reportlint.toml`: a team's settings, read from text. Errors carry a line and column.
//!
//! ```toml
//! profile = "f2021"              # or a path to a JSON profile, relative to this file
//! lang = "zh"                    # message language: zh or en
//! body = "department"            # department (部门) or government (本级政府)
//! deadline = "01-20"             # a local deadline before the law's (in the next year)
//! include = ["**/*.md", "**/*.txt"]
//! exclude = ["archive/**"]
//! percent-tolerance = 0.1        # accept percentages this far off (percentage points)
//!
//! [rules]
//! S010 = "off"                   # by code or by name
//! percentage-mismatch = "warning"
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::document::Decimal;
use crate::glob::Glob;
use crate::lang::Lang;

pub const FILE_NAME: &str = "reportlint.toml";

pub use crate::document::agency::Body;

/// A rule's level: off, or a severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    pub profile: Option<String>,
    pub lang: Option<Lang>,
    pub body: Option<Body>,
    /// A local deadline earlier than the law's: (month, day) of the year after the report year.
    pub deadline: Option<(u8, u8)>,
    pub include: Vec<Glob>,
    pub exclude: Vec<Glob>,
    pub percent_tolerance: Option<Decimal>,
    /// Rule codes and their levels.
    pub rules: Vec<(&'static str, Level)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based; 0 when the error has no place.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    profile: Option<Spanned<String>>,
    lang: Option<Spanned<String>>,
    body: Option<Spanned<String>>,
    deadline: Option<Spanned<String>>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    percent_tolerance: Option<Spanned<f64>>,
    rules: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

/// Reads a configuration file's text.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_col(text, span.start);
        ConfigError {
            line,
            column,
            message,
        }
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| line_col(text, s.start));
        ConfigError {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let mut config = Config {
        profile: raw
            .profile
            .map(|p| p.into_inner())
            .filter(|p| !p.trim().is_empty()),
        ..Config::default()
    };
    if let Some(lang) = raw.lang {
        config.lang = Some(Lang::from_tag(lang.get_ref()).ok_or_else(|| {
            at(
                lang.span(),
                format!(
                    "unknown language `{}`: expected \"zh\" or \"en\"",
                    lang.get_ref()
                ),
            )
        })?);
    }
    if let Some(body) = raw.body {
        config.body = Some(match body.get_ref().as_str() {
            "department" | "部门" => Body::Department,
            "government" | "政府" | "本级政府" => Body::Government,
            other => {
                return Err(at(
                    body.span(),
                    format!("unknown body `{other}`: expected \"department\" or \"government\""),
                ))
            }
        });
    }
    if let Some(d) = raw.deadline {
        config.deadline = Some(parse_deadline(d.get_ref()).ok_or_else(|| {
            at(
                d.span(),
                format!(
                    "invalid deadline `{}`: expected a month and day such as \"01-20\"",
                    d.get_ref()
                ),
            )
        })?);
    }
    for (list, out) in [
        (raw.include, &mut config.include),
        (raw.exclude, &mut config.exclude),
    ] {
        for g in list.unwrap_or_default() {
            let glob = Glob::new(g.get_ref()).map_err(|m| at(g.span(), m))?;
            out.push(glob);
        }
    }
    if let Some(t) = raw.percent_tolerance {
        let v = *t.get_ref();
        if !(0.0..=100.0).contains(&v) {
            return Err(at(
                t.span(),
                "percent-tolerance must be between 0 and 100".into(),
            ));
        }
        config.percent_tolerance = Decimal::parse_plain(&format!("{v}"));
    }
    for (key, value) in raw.rules.unwrap_or_default() {
        let rule = crate::rules::find(key.get_ref())
            .ok_or_else(|| at(key.span(), format!("unknown rule `{}`", key.get_ref())))?;
        let level = match value.get_ref().as_str() {
            "off" | "ignore" => Level::Off,
            s => Level::On(Severity::parse(s).ok_or_else(|| {
                at(
                    value.span(),
                    format!(
                        "unknown level `{s}`: expected \"off\", \"error\", \"warning\" or \"hint\""
                    ),
                )
            })?),
        };
        config.rules.retain(|(c, _)| *c != rule.meta.code);
        config.rules.push((rule.meta.code, level));
    }
    Ok(config)
}

/// `MM-DD` (or `M月D日`): a day of the year that exists in every year.
pub fn parse_deadline(s: &str) -> Option<(u8, u8)> {
    let s = s.trim();
    let (m, d) = s
        .split_once('-')
        .or_else(|| s.strip_suffix('日').and_then(|x| x.split_once('月')))?;
    let (m, d): (u8, u8) = (m.trim().parse().ok()?, d.trim().parse().ok()?);
    const DAYS: [u8; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    ((1..=12).contains(&m) && (1..=DAYS[m as usize - 1]).contains(&d)).then_some((m, d))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = crate::line_index::floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file() {
        let c = parse(
            "profile = \"f2019\"\nlang = \"en\"\nbody = \"government\"\ndeadline = \"02-20\"\ninclude = [\"**/*.md\"]\nexclude = [\"archive/**\"]\npercent-tolerance = 0.1\n\n[rules]\nS010 = \"off\"\npercentage-mismatch = \"warning\"\n",
        )
        .unwrap();
        assert_eq!(c.profile.as_deref(), Some("f2019"));
        assert_eq!(c.lang, Some(Lang::En));
        assert_eq!(c.body, Some(Body::Government));
        assert_eq!(c.deadline, Some((2, 20)));

        assert_eq!(c.include.len(), 1);
        assert_eq!(
            c.percent_tolerance.map(|d| d.to_string()),
            Some("0.1".to_string())
        );
        let mut rules = c.rules.clone();
        rules.sort_by_key(|(code, _)| *code);
        assert_eq!(
            rules,
            vec![("P003", Level::On(Severity::Warning)), ("S010", Level::Off)]
        );
    }

    #[test]
    fn errors_have_a_place() {
        let e = parse("lang = \"zh\"\ncolour = 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("colour"), "{e}");
        let e = parse("[rules]\nX999 = \"off\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        let e = parse("[rules]\nS010 = \"loud\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e}");
        let e = parse("lang = \"fr\"").unwrap_err();
        assert_eq!((e.line, e.column), (1, 8), "{e}");
        let e = parse("profile = [").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        let e = parse("include = [\"[a\"]").unwrap_err();
        assert_eq!((e.line, e.column), (1, 12), "{e}");
        let e = parse("body = \"department\"\ndeadline = \"02-30\"").unwrap_err();
        assert_eq!((e.line, e.column), (2, 12), "{e}");
    }

    #[test]
    fn deadlines() {
        assert_eq!(parse_deadline("01-20"), Some((1, 20)));
        assert_eq!(parse_deadline("3-31"), Some((3, 31)));
        assert_eq!(parse_deadline("2月20日"), Some((2, 20)));
        assert_eq!(parse_deadline("02-29"), None);
        assert_eq!(parse_deadline("13-01"), None);
        assert_eq!(parse_deadline("0120"), None);
    }
}
