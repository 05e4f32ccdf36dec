//! S017: the agency in the signature or the text is another body than the title's, or is
//! not the name of a body at all (text injected into a published page).

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::agency::{agree, names_organ, AgencyParts, Agreement};
use crate::lang::Text;
use crate::text::TextRange;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S017",
    name: "agency-name-inconsistent",
    severity: Severity::Warning,
    fix: FixSafety::None,
    summary: Text::new(
        "落款、引言或联系方式中的机关名称与标题不一致，或不像机关名称",
        "The agency in the signature, introduction or contact line differs from the title's, or is no agency name",
    ),
    why: Text::new(
        "标题、引言和落款应是同一个机关。套用其他地区或部门的报告时，落款常常忘了改；被篡改的网页会把机关名称替换成广告词（如「芙蓉区凯发一触即发」），在全文多处出现。",
        "The title, introduction and signature name one body. A report copied from another district or department often keeps its signature; a hijacked web page replaces the agency's name with spam (such as 芙蓉区凯发一触即发) wherever it appears.",
    ),
    example: "长沙市芙蓉区2021年政府信息公开工作年度报告……长沙市芙蓉区凯发一触即发 2022年2月8日",
    fix_note: Text::new("无自动修复：请核对机关名称。", "No fix: check the agency's name."),
};

/// Where a body is named besides the title.
#[derive(Clone, Copy)]
enum Place {
    Signature,
    Introduction,
    Contact,
}

struct Mention {
    place: Place,
    range: TextRange,
    name: String,
}

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    let title = report.title.as_ref().and_then(|t| t.agency.as_ref());
    let title_parts = title.map(|a| AgencyParts::split(&a.name));
    let mut corrupt: Vec<(String, TextRange)> = Vec::new();
    if let (Some(a), Some(parts)) = (title, &title_parts) {
        if !parts.divisions.is_empty() && !parts.organ.is_empty() && !names_organ(&parts.organ) {
            let (name, organ) = (&a.name, &parts.organ);
            let message = tr!(
                ctx.lang,
                "标题中的机关名称「{name}」里「{organ}」不是机关名称，可能被篡改或误写",
                "In the title's agency “{name}”, “{organ}” names no body: it may have been tampered with or mistyped"
            );
            acc.push(ctx.diag(&META, a.range, message));
            corrupt.push((organ.clone(), a.range));
        }
    }
    for m in mentions(ctx) {
        let parts = AgencyParts::split(&m.name);
        // A name without a division (`我局`, `本机关`) says too little to judge.
        if parts.divisions.is_empty() {
            continue;
        }
        let name = &m.name;
        let place = place_name(ctx, m.place);
        if !parts.organ.is_empty() && !names_organ(&parts.organ) {
            let organ = &parts.organ;
            let message = tr!(
                ctx.lang,
                "{place}的机关名称「{name}」里「{organ}」不是机关名称，可能被篡改或误写",
                "In the {place}'s agency “{name}”, “{organ}” names no body: it may have been tampered with or mistyped"
            );
            acc.push(ctx.diag(&META, m.range, message));
            corrupt.push((parts.organ.clone(), m.range));
            continue;
        }
        let (Some(title), Some(title_parts)) = (title, &title_parts) else {
            continue;
        };
        let theirs = &title.name;
        match agree(title_parts, &parts) {
            Agreement::Same => {}
            Agreement::OtherDivision {
                ours,
                theirs: other,
            } => {
                let message = tr!(
                    ctx.lang,
                    "{place}的机关「{name}」与标题中的「{theirs}」不是同一地区（{other}／{ours}），可能套用了其他地区的报告",
                    "The {place}'s agency “{name}” is in another area than the title's “{theirs}” ({other} / {ours}): the report may be copied from another area's"
                );
                acc.push(ctx.diag(&META, m.range, message));
            }
            Agreement::OtherOrgan => {
                // Offices sign for their bodies (`党政办`, `办公室`): only two named bodies
                // that share nothing are another body's.
                if matches!(m.place, Place::Signature)
                    && is_body(&parts.organ)
                    && is_body(&title_parts.organ)
                {
                    let message = tr!(
                        ctx.lang,
                        "{place}的机关「{name}」与标题中的「{theirs}」不是同一机关，可能套用了其他部门的报告",
                        "The {place}'s agency “{name}” is another body than the title's “{theirs}”: the report may be copied from another body's"
                    );
                    acc.push(ctx.diag(&META, m.range, message));
                }
            }
        }
    }
    // Text that replaced an agency's name is usually replaced everywhere.
    for (token, seen) in &corrupt {
        for p in &report.paragraphs {
            let line = ctx.slice(p.range);
            for (i, _) in line.match_indices(token.as_str()) {
                let range = TextRange::new(p.range.start + i, p.range.start + i + token.len());
                if seen.touches(range)
                    || acc
                        .iter()
                        .any(|d| d.code == META.code && d.range.touches(range))
                {
                    continue;
                }
                let message = tr!(
                    ctx.lang,
                    "「{token}」不是机关名称，与落款或标题中被篡改的机关名称相同，可能是被植入的文字",
                    "“{token}” names no body; it is the text found in place of the agency's name, and may have been injected"
                );
                acc.push(ctx.diag(&META, range, message));
            }
        }
    }
}

/// An organ that is a body of its own, not an office of one.
fn is_body(organ: &str) -> bool {
    ["局", "委员会", "委", "厅", "院", "中心", "署"]
        .iter()
        .any(|s| organ.ends_with(s))
        && !organ.ends_with("办公室")
}

fn place_name(ctx: &Ctx, place: Place) -> &'static str {
    match (ctx.lang, place) {
        (crate::lang::Lang::Zh, Place::Signature) => "落款",
        (crate::lang::Lang::Zh, Place::Introduction) => "引言",
        (crate::lang::Lang::Zh, Place::Contact) => "联系方式",
        (crate::lang::Lang::En, Place::Signature) => "signature",
        (crate::lang::Lang::En, Place::Introduction) => "introduction",
        (crate::lang::Lang::En, Place::Contact) => "contact line",
    }
}

fn mentions(ctx: &Ctx) -> Vec<Mention> {
    let report = ctx.report;
    let first_section = report
        .sections
        .first()
        .map_or(report.range.end, |s| s.heading.start);
    let mut out = Vec::new();
    if let Some(a) = report.signature.as_ref().and_then(|s| s.agency.as_ref()) {
        out.push(Mention {
            place: Place::Signature,
            range: a.range,
            name: a.name.clone(),
        });
    }
    for p in &report.paragraphs {
        let line = ctx.slice(p.range);
        let mut add = |names: Vec<Range<usize>>, place: Place| {
            for m in names {
                out.push(Mention {
                    place,
                    range: TextRange::new(p.range.start + m.start, p.range.start + m.end),
                    name: line[m].to_string(),
                });
            }
        };
        if p.range.start < first_section {
            add(intro_names(line), Place::Introduction);
        }
        add(contact_names(line), Place::Contact);
    }
    out
}

// The two readers below find what a regular expression would (given in each one's comment),
// without compiling one: the bounded repetitions made these the most costly patterns to
// compile of a whole check. A test compares them with the expressions.

/// The bodies in introductions such as `本报告由X根据……编制`, read like the expression
/// `(?:^|[。；])\s*(?:本(?:年度)?报告由)?([^，。；,;：:“”《\s]{2,40}?)(?:根据|依据|按照|依照)[^。]{0,80}?(?:编制|编写|制作)`.
fn intro_names(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let sentence_starts = (pos == 0).then_some(0).into_iter().chain(
            line[pos..]
                .match_indices(['。', '；'])
                .map(|(i, p)| pos + i + p.len()),
        );
        let found = sentence_starts.into_iter().find_map(|start| {
            let q = start + (line.len() - start - line[start..].trim_start().len());
            let mut firsts = vec![q];
            if let Some(by) = ["本年度报告由", "本报告由"]
                .iter()
                .find(|by| line[q..].starts_with(*by))
            {
                firsts.insert(0, q + by.len());
            }
            firsts
                .into_iter()
                .find_map(|q| shortest_name(line, q, "，。；,;：:“”《", made_by))
        });
        let Some((name, end)) = found else {
            return out;
        };
        out.push(name);
        pos = end;
    }
}

/// After a body's name in an introduction: `根据……编制` within 80 characters of one
/// sentence; the length it takes.
fn made_by(rest: &str) -> Option<usize> {
    let verb = ["根据", "依据", "按照", "依照"]
        .iter()
        .find(|v| rest.starts_with(*v))?;
    let mut at = verb.len();
    for step in 0..=80 {
        if let Some(w) = ["编制", "编写", "制作"]
            .iter()
            .find(|w| rest[at..].starts_with(*w))
        {
            return Some(at + w.len());
        }
        match rest[at..].chars().next() {
            Some(c) if c != '。' && step < 80 => at += c.len_utf8(),
            _ => return None,
        }
    }
    None
}

/// The bodies in contact lines such as `请与X联系`, read like the expression
/// `请(?:与|联系|致电|咨询)([^，。；,;：:（(“”\s]{2,40}?)(?:联系|咨询|，|。|（|\(|$)`.
fn contact_names(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    static PLEASE: crate::text::Needle = crate::text::Needle::new("请");
    while let Some(at) = PLEASE.find(&line[pos..]) {
        let after = pos + at + '请'.len_utf8();
        let found = ["与", "联系", "致电", "咨询"]
            .iter()
            .find(|v| line[after..].starts_with(*v))
            .and_then(|v| {
                shortest_name(line, after + v.len(), "，。；,;：:（(“”", |rest| {
                    if rest.is_empty() {
                        return Some(0);
                    }
                    ["联系", "咨询", "，", "。", "（", "("]
                        .iter()
                        .find(|t| rest.starts_with(*t))
                        .map(|t| t.len())
                })
            });
        match found {
            Some((name, end)) => {
                out.push(name);
                pos = end;
            }
            None => pos = after,
        }
    }
    out
}

/// The shortest run of 2 to 40 characters from `from`, none a space or one of `excluded`,
/// after which `then` accepts the rest of the line: the run, and where what `then` took ends.
fn shortest_name(
    line: &str,
    from: usize,
    excluded: &str,
    then: impl Fn(&str) -> Option<usize>,
) -> Option<(Range<usize>, usize)> {
    let mut end = from;
    for (k, c) in line[from..].chars().take(40).enumerate() {
        if c.is_whitespace() || excluded.contains(c) {
            return None;
        }
        end += c.len_utf8();
        if k >= 1 {
            if let Some(took) = then(&line[end..]) {
                return Some((from..end, end + took));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    /// The readers find what the expressions they replace find.
    mod like_the_expressions {
        use super::super::{contact_names, intro_names};
        use proptest::prelude::*;
        use regex::Regex;
        use std::ops::Range;

        fn groups(re: &str, line: &str) -> Vec<Range<usize>> {
            Regex::new(re)
                .unwrap()
                .captures_iter(line)
                .filter_map(|c| c.get(1).map(|m| m.range()))
                .collect()
        }

        const INTRO: &str = r"(?:^|[。；])\s*(?:本(?:年度)?报告由)?([^，。；,;：:“”《\s]{2,40}?)(?:根据|依据|按照|依照)[^。]{0,80}?(?:编制|编写|制作)";
        const CONTACT: &str =
            r"请(?:与|联系|致电|咨询)([^，。；,;：:（(“”\s]{2,40}?)(?:联系|咨询|，|。|（|\(|$)";

        /// Lines made of the pieces the expressions care about, and filler.
        fn line() -> impl Strategy<Value = String> {
            let pieces = prop::sample::select(vec![
                "请", "与", "联系", "致电", "咨询", "，", "。", "；", "（", "(", ":", " ", "\u{3000}",
                "本", "报告由", "年度", "根据", "依据", "按照", "编制", "编写", "制作", "某区", "人民政府",
                "办公室", "X", "《", "条例", "的规定", "\n", "😀",
                "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
            ]);
            prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
        }

        proptest! {
            #[test]
            fn intro(line in line()) {
                prop_assert_eq!(intro_names(&line), groups(INTRO, &line));
            }

            #[test]
            fn contact(line in line()) {
                prop_assert_eq!(contact_names(&line), groups(CONTACT, &line));
            }
        }

        #[test]
        fn examples() {
            for line in [
                "本报告由某区人民政府办公室根据《条例》要求编制。",
                "。某区人民政府依据规定编写本报告；本年度报告由X局按照要求编制",
                "如有疑问，请与某区人民政府办公室联系。请致电某区政务服务中心",
                "请与某某联系联系",
            ] {
                assert_eq!(intro_names(line), groups(INTRO, line), "{line}");
                assert_eq!(contact_names(line), groups(CONTACT, line), "{line}");
            }
            // At the bounds: names of 1, 2, 40 and 41 characters, 80 and 81 before `编制`.
            for n in [1, 2, 39, 40, 41] {
                let name = "局".repeat(n);
                let line = format!("{name}根据条例编制。请与{name}联系");
                assert_eq!(intro_names(&line), groups(INTRO, &line), "{n}");
                assert_eq!(contact_names(&line), groups(CONTACT, &line), "{n}");
                assert_eq!(intro_names(&line).is_empty(), !(2..=40).contains(&n));
            }
            for n in [79, 80, 81] {
                let line = format!("某区人民政府根据{}编制", "规".repeat(n));
                assert_eq!(intro_names(&line), groups(INTRO, &line), "{n}");
                assert_eq!(intro_names(&line).is_empty(), n > 80);
            }
        }
    }

    fn report(title_agency: &str, extra: &str) -> String {
        clean_report(Flavour::Plain).replace("某区人民政府", title_agency) + extra
    }

    #[test]
    fn injected_text_in_place_of_the_agency() {
        let text = report("长沙市芙蓉区", "\n如有疑问，请与芙蓉区凯发一触即发办公室联系。\n长沙市芙蓉区凯发一触即发\n2022年2月8日\n")
            .replace("（在此填写本年度政府信息公开平台建设情况。）", "完善芙蓉区凯发一触即发门户网站。");
        insta::assert_snapshot!(check_rule("S017", &text), @"
        21:6 warning 「凯发一触即发」不是机关名称，与落款或标题中被篡改的机关名称相同，可能是被植入的文字
        97:11 warning 「凯发一触即发」不是机关名称，与落款或标题中被篡改的机关名称相同，可能是被植入的文字
        98:1 warning 落款的机关名称「长沙市芙蓉区凯发一触即发」里「凯发一触即发」不是机关名称，可能被篡改或误写
        ");
    }

    #[test]
    fn another_area_or_body() {
        let text = report("长沙市芙蓉区", "\n长沙市天心区人民政府\n2022年2月8日\n");
        insta::assert_snapshot!(check_rule("S017", &text), @"97:1 warning 落款的机关「长沙市天心区人民政府」与标题中的「长沙市芙蓉区」不是同一地区（天心区／芙蓉区），可能套用了其他地区的报告");
        let text = report("丽水市教育局", "\n丽水市卫生健康委员会\n2022年1月8日\n");
        insta::assert_snapshot!(check_rule("S017", &text), @"97:1 warning 落款的机关「丽水市卫生健康委员会」与标题中的「丽水市教育局」不是同一机关，可能套用了其他部门的报告");
        let text = report(
            "长沙市芙蓉区人民政府",
            "\n如有疑问，请与长沙市天心区人民政府办公室联系。\n",
        );
        insta::assert_snapshot!(check_rule("S017", &text), @"97:8 warning 联系方式的机关「长沙市天心区人民政府办公室」与标题中的「长沙市芙蓉区人民政府」不是同一地区（天心区／芙蓉区），可能套用了其他地区的报告");
    }

    #[test]
    fn the_same_body_in_other_words() {
        for (title, tail) in [
            ("长沙市芙蓉区", "\n芙蓉区人民政府办公室\n2022年2月8日\n"),
            (
                "安吉县递铺街道办事处",
                "\n如有疑问，请与递铺街道党政办联系。\n安吉县递铺街道办事处\n2022年1月25日\n",
            ),
            ("某县教育局", "\n某县教育和体育局\n2022年1月8日\n"),
            ("某县教育局", "\n如对本报告有任何疑问，请与我们联系。\n"),
            (
                "黑龙江省哈尔滨市阿城区",
                "\n阿城区人民政府办公室\n2022年3月8日\n",
            ),
        ] {
            assert_eq!(
                check_rule("S017", &report(title, tail)),
                "",
                "{title} {tail}"
            );
        }
    }
}
