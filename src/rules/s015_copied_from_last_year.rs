//! S015: a paragraph of a section that must be written anew is last year's, word for word.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::normalize::normalize;
use crate::lang::Text;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S015",
    name: "copied-from-last-year",
    severity: Severity::Hint,
    fix: FixSafety::None,
    summary: Text::new(
        "段落与上年报告相同（内容雷同）",
        "A paragraph is the same as in last year's report",
    ),
    why: Text::new(
        "《关于印发中华人民共和国政府信息公开工作年度报告格式的通知》要求各地各部门对「发布内容不准确不全面或者内容雷同」的问题追究责任。总体情况、存在的主要问题及改进情况应按本年实际重写，只改年份的照抄段落最容易被发现。需要提供上年报告。",
        "The format notice holds bodies responsible for reports that are inaccurate, incomplete or 内容雷同 (the same as before). The overview and the problems and improvements must describe this year; a paragraph copied with only the year changed is the easiest to spot. Needs last year's report.",
    ),
    example: "（总体情况）一是加强组织领导，调整政务公开工作领导小组……（与上年报告逐字相同）",
    fix_note: Text::new("无自动修复：请按本年情况重写。", "No fix: rewrite it for this year."),
};

/// Paragraphs shorter than this (in characters, normalised) are not worth a finding.
const MIN_CHARS: usize = 30;

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let (Some((last, last_report)), Some(year)) = (ctx.previous, ctx.report.year) else {
        return;
    };
    let Some(index) = last
        .document
        .reports
        .iter()
        .position(|r| std::ptr::eq(r, last_report))
        .map(|i| last.paragraph_index(i))
    else {
        return;
    };
    let last_offset = last_report.offset;
    let report = ctx.report;
    for p in &report.paragraphs {
        let original = p
            .section
            .map(|s| report.sections[s].spec)
            .is_some_and(|spec| ctx.profile.sections[spec].original);
        if !original {
            continue;
        }
        let Some(key) = key(ctx.slice(p.range), year.value) else {
            continue;
        };
        let Some(&at) = index.get(&key) else {
            continue;
        };
        let at = at + last_offset;
        let line = last.text.as_bytes()[..at.min(last.text.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        let name = &last.name;
        let message = tr!(
            ctx.lang,
            "本段与上年报告（{name} 第 {line} 行）相同；年度报告不得与上年内容雷同，请按本年情况重写",
            "This paragraph is last year's ({name} line {line}); a report must not repeat last year's text: describe this year"
        );
        acc.push(ctx.diag(&META, p.range, message));
    }
}

/// Every paragraph of a report long enough to compare, by key, with its offset in the report.
pub(crate) fn index(text: &str, report: &crate::document::ReportAt) -> HashMap<String, usize> {
    let text = report.text(text);
    let Some(year) = report.year else {
        return HashMap::new();
    };
    // Each report's years are written relative to its own: last year's `2021年` is this
    // year's `2022年`.
    let base = year.value;
    let mut out = HashMap::new();
    for p in &report.paragraphs {
        if let Some(k) = key(&text[p.range.as_range()], base) {
            out.entry(k).or_insert(p.range.start);
        }
    }
    out
}

/// The paragraph normalised, with every year written relative to `base` (the year of its
/// report), or `None` when it is too short.
fn key(text: &str, base: u16) -> Option<String> {
    let norm = normalize(text);
    if norm.chars().count() < MIN_CHARS {
        return None;
    }
    let mut out = String::with_capacity(norm.len());
    let bytes = norm.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        let starts_number = i == 0 || !bytes[i - 1].is_ascii_digit();
        if digits == 4 && starts_number {
            let y: u16 = norm[i..i + 4].parse().unwrap_or(0);
            if (1990..=2099).contains(&y) && norm[i + 4..].starts_with('年') {
                out.push_str(&format!("〔{}〕", y as i32 - base as i32));
                i += 4;
                continue;
            }
        }
        let ch = norm[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::document::Flavour;
    use crate::rules::test_support::clean_report;
    use crate::{analyze, Options, Previous};

    const PARA: &str = "2021年，我区坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》，全面推进决策、执行、管理、服务、结果公开。";

    fn findings(this: &str, last: &str) -> Vec<String> {
        let opts = Options {
            previous: vec![Arc::new(Previous::parse(
                "2021.txt".into(),
                last.to_string(),
                Flavour::Plain,
                false,
            ))],
            ..Options::default()
        };
        analyze(this, &opts)
            .diagnostics
            .into_iter()
            .filter(|d| d.code == "S015")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_paragraph_copied_with_only_the_year_changed() {
        let last =
            clean_report(Flavour::Plain).replace("（在此填写本年度主动公开工作情况。）", PARA);
        let this = clean_report(Flavour::Plain)
            .replace("2021", "2022")
            .replace(
                "（在此填写本年度主动公开工作情况。）",
                &PARA.replace("2021", "2022"),
            );
        let found = findings(&this, &last);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("本段与上年报告（2021.txt 第 "),
            "{found:?}"
        );
        // The same words about another year are not a copy; nor are new words.
        let stale = this.replace("2022年，我区坚持", "2020年，我区坚持");
        assert!(findings(&stale, &last).is_empty());
        let rewritten = this.replace("全面推进", "持续深化");
        assert!(findings(&rewritten, &last).is_empty());
        // Short sentences and sections the format does not ask to rewrite are left alone.
        let short = "本年度未收取信息处理费，无其他需要报告的事项。";
        let last = last.replace(
            "（在此填写信息处理费收取情况及其他需要报告的事项。）",
            short,
        );
        let this = this.replace(
            "（在此填写信息处理费收取情况及其他需要报告的事项。）",
            short,
        );
        assert_eq!(findings(&this, &last).len(), 1);
    }
}
