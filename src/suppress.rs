//! Inline suppressions, in Markdown and plain text alike:
//! `<!-- reportlint-disable CODE -->` … `<!-- reportlint-enable CODE -->` and
//! `<!-- reportlint-disable-next-line CODE -->`. Without a code they cover every rule; codes
//! may be rule names too. A suppression that suppresses nothing is reported (S014).

use std::sync::OnceLock;

use regex::Regex;

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::Flavour;
use crate::lang::Lang;
use crate::line_index::LineIndex;
use crate::text::{TextEdit, TextRange};
use crate::tr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    NextLine,
}

#[derive(Debug)]
struct Directive {
    range: TextRange,
    line: usize,
    kind: Kind,
    /// Rule codes; empty for all rules.
    codes: Vec<&'static str>,
    unknown: Vec<String>,
    used: bool,
}

fn directive_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"<!--\s*reportlint-(disable-next-line|disable|enable)\b([^>]*?)-->")
            .expect("valid regex")
    })
}

fn directives(text: &str, index: &LineIndex) -> Vec<Directive> {
    directive_regex()
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let kind = match c.get(1)?.as_str() {
                "disable" => Kind::Disable,
                "enable" => Kind::Enable,
                _ => Kind::NextLine,
            };
            let mut codes = Vec::new();
            let mut unknown = Vec::new();
            for word in c
                .get(2)
                .map_or("", |m| m.as_str())
                .split([',', ' ', '\t', '，'])
            {
                let word = word.trim();
                if word.is_empty() || word == "--" {
                    continue;
                }
                match crate::rules::find(word) {
                    Some(r) => codes.push(r.meta.code),
                    None => unknown.push(word.to_string()),
                }
            }
            Some(Directive {
                range: TextRange::new(whole.start(), whole.end()),
                line: index.line_of(whole.start()),
                kind,
                codes,
                unknown,
                used: false,
            })
        })
        .collect()
}

fn covers(d: &Directive, code: &str) -> bool {
    d.codes.is_empty() || d.codes.contains(&code)
}

/// Drops the suppressed findings and adds one for each suppression that suppressed nothing
/// (unless that rule is off: `unused` is `None`).
pub fn apply(text: &str, diagnostics: &mut Vec<Diagnostic>, lang: Lang, unused: Option<Severity>) {
    // A vectorised search: this runs over the whole document on every keystroke.
    if memchr::memmem::find(text.as_bytes(), b"reportlint-").is_none() {
        return;
    }
    let index = LineIndex::new(text);
    let mut dirs = directives(text, &index);
    if dirs.is_empty() {
        return;
    }
    // The line a next-line suppression is for: the next one with text on it.
    let targets: Vec<Option<usize>> = dirs
        .iter()
        .map(|d| {
            (d.kind == Kind::NextLine).then(|| {
                (d.line + 1..index.line_count())
                    .find(|&l| !text[index.line_range(text, l).as_range()].trim().is_empty())
                    .unwrap_or(d.line + 1)
            })
        })
        .collect();
    diagnostics.retain(|diag| {
        let line = index.line_of(diag.range.start);
        // Next-line suppressions first, then the innermost open region.
        if let Some(i) =
            (0..dirs.len()).find(|&i| targets[i] == Some(line) && covers(&dirs[i], diag.code))
        {
            dirs[i].used = true;
            return false;
        }
        let mut open: Option<usize> = None;
        for (i, d) in dirs.iter().enumerate() {
            if d.line > line {
                break;
            }
            match d.kind {
                Kind::Disable if covers(d, diag.code) => open = Some(i),
                Kind::Enable if covers(d, diag.code) => open = None,
                _ => {}
            }
        }
        match open {
            Some(i) => {
                dirs[i].used = true;
                false
            }
            None => true,
        }
    });
    let Some(severity) = unused else {
        return;
    };
    for d in dirs
        .iter()
        .filter(|d| d.kind != Kind::Enable && (!d.used || !d.unknown.is_empty()))
    {
        let message = if !d.unknown.is_empty() {
            let list = d.unknown.join("、");
            tr!(
                lang,
                "抑制注释中的「{list}」不是规则代码或名称",
                "“{list}” in this suppression is not a rule code or name"
            )
        } else {
            tr!(
                lang,
                "此抑制注释没有抑制任何问题，可以删除",
                "This suppression suppresses nothing and can go"
            )
        };
        let fix = (d.unknown.is_empty()).then(|| {
            Fix::safe(
                tr!(lang, "删除此抑制注释", "Remove the suppression"),
                vec![TextEdit::delete(removal_range(text, &index, d))],
            )
        });
        let mut diag =
            Diagnostic::new(crate::rules::UNUSED_SUPPRESSION, severity, d.range, message)
                .with_fix_opt(fix);
        diag.severity = severity;
        diagnostics.push(diag);
    }
    diagnostics.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
}

/// The comment, or its whole line (with the line break) when it stands alone.
fn removal_range(text: &str, index: &LineIndex, d: &Directive) -> TextRange {
    let line = index.line_range(text, d.line);
    let alone = text[line.start..d.range.start].trim().is_empty()
        && text[d.range.end..line.end].trim().is_empty();
    if !alone {
        return d.range;
    }
    let next = if d.line + 1 < index.line_count() {
        index.line_range(text, d.line + 1).start
    } else {
        line.end
    };
    TextRange::new(line.start, next)
}

/// Edits that suppress `code` where `offset` is: a next-line comment above its line, or, in a
/// Markdown pipe table (which a comment inside would break), a disable/enable pair around it.
pub fn ignore_edits(text: &str, code: &str, offset: usize, flavour: Flavour) -> Vec<TextEdit> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let index = LineIndex::new(text);
    let line = index.line_of(offset);
    let is_pipe = |l: usize| {
        text[index.line_range(text, l).as_range()]
            .trim_start()
            .starts_with('|')
    };
    if flavour == Flavour::Markdown && is_pipe(line) {
        let mut first = line;
        while first > 0 && is_pipe(first - 1) {
            first -= 1;
        }
        let mut last = line;
        while last + 1 < index.line_count() && is_pipe(last + 1) {
            last += 1;
        }
        let start = index.line_range(text, first).start;
        let end = index.line_range(text, last).end;
        return vec![
            TextEdit::insert(start, format!("<!-- reportlint-disable {code} -->{nl}")),
            TextEdit::insert(end, format!("{nl}<!-- reportlint-enable {code} -->")),
        ];
    }
    let start = index.line_range(text, line).start;
    vec![TextEdit::insert(
        start,
        format!("<!-- reportlint-disable-next-line {code} -->{nl}"),
    )]
}

#[cfg(test)]
mod tests {
    use crate::{analyze, Options};

    fn codes(text: &str) -> Vec<&'static str> {
        analyze(text, &Options::default())
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    const WRONG: &str = "某县2021年政府信息公开工作年度报告\n一、总体情况\n共发布信息10条，其中政务动态8条，通知公告3条。\n";

    #[test]
    fn next_line_and_regions() {
        assert!(codes(WRONG).contains(&"P004"));
        let text = WRONG.replace(
            "共发布",
            "<!-- reportlint-disable-next-line P004 -->\n共发布",
        );
        assert!(!codes(&text).contains(&"P004"));
        assert!(!codes(&text).contains(&"S014"));
        let text = WRONG.replace(
            "共发布",
            "<!-- reportlint-disable breakdown-sum-mismatch -->\n\n共发布",
        ) + "<!-- reportlint-enable -->\n";
        assert!(!codes(&text).contains(&"P004"), "{:?}", codes(&text));
        let text = WRONG.replace("共发布", "<!-- reportlint-disable -->\n共发布");
        assert!(!codes(&text).contains(&"P004"));
    }

    #[test]
    fn unused_and_unknown_suppressions_are_reported() {
        let text = format!("<!-- reportlint-disable-next-line P003 -->\n{WRONG}");
        let a = analyze(&text, &Options::default());
        let unused: Vec<_> = a.diagnostics.iter().filter(|d| d.code == "S014").collect();
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].severity, crate::diagnostic::Severity::Hint);
        let (fixed, _) = crate::fix::apply_fixes(&text, unused[0].fix.as_ref());
        assert_eq!(fixed, WRONG);
        let text = format!("<!-- reportlint-disable-next-line X999 -->\n{WRONG}");
        assert!(codes(&text).contains(&"S014"));
    }

    #[test]
    fn ignore_edits_suppress() {
        let a = analyze(WRONG, &Options::default());
        let d = a.diagnostics.iter().find(|d| d.code == "P004").unwrap();
        let edits = super::ignore_edits(
            WRONG,
            d.code,
            d.range.start,
            crate::document::Flavour::Plain,
        );
        let text = crate::fix::apply_edits(WRONG, &edits);
        assert!(!codes(&text).contains(&"P004"));
        assert!(!codes(&text).contains(&"S014"));
    }
}
