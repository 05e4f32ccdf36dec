//! Prose against the tables and against itself, shared by the P rules.
//!
//! Claims come from the profile: a pattern that captures a count (or states that something is
//! zero) and the metrics of the tables it must equal. Counts, percentages and `其中` breakdowns
//! are read from the prose itself, so a percentage is checked against the whole it is a part of.

use std::sync::OnceLock;

use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity};
use crate::document::amount::parse_value;
use crate::document::{Decimal, Value};
use crate::lang::Lang;
use crate::line_index::floor_char_boundary;
use crate::pattern::Pattern;
use crate::profile::{ClaimKind, Expr};
use crate::text::{TextEdit, TextRange};
use crate::tr;

use super::{Ctx, RuleMeta};

/// A claim of the profile found in the prose.
#[derive(Clone, Debug)]
pub(crate) struct ClaimMatch {
    pub claim: usize,
    pub range: TextRange,
    /// The count a `count` claim captured, and where.
    pub n: Option<(Decimal, TextRange)>,
}

pub(crate) fn claim_matches<'c>(ctx: &'c Ctx) -> &'c [ClaimMatch] {
    ctx.cache.claims.get_or_init(|| find_claims(ctx))
}

fn find_claims(ctx: &Ctx) -> Vec<ClaimMatch> {
    let mut out = Vec::new();
    for para in &ctx.report.paragraphs {
        let s = ctx.slice(para.range);
        // A stretch of text matched by one claim is not matched again by a later one, so
        // `行政复议和行政诉讼5件` is not also read as `行政诉讼5件`.
        let mut taken: Vec<TextRange> = Vec::new();
        // Only claims whose matches' first words are in the paragraph can match in it.
        let open = ctx.profile.claim_gates.open(s);
        // The sentence around a match, for claims with a context: sentences found once. A
        // sentence is read at most `CONTEXT` bytes either side of the match, so a run of figures
        // with no full stop costs in proportion to its length, not its square.
        let sentences = std::cell::OnceCell::new();
        let sentence = |start: usize, end: usize| {
            let starts = sentences.get_or_init(|| sentence_starts(s));
            let from = sentence_start_before(starts, start)
                .max(floor_char_boundary(s, start.saturating_sub(CONTEXT)));
            let to = sentence_end_after(starts, end, s.len()).min(ceil(s, end + CONTEXT));
            &s[from..to]
        };
        for (i, claim) in ctx.profile.claims.iter().enumerate() {
            if !open[i] {
                continue;
            }
            let pattern = claim.regex();
            let n_group = pattern.group("n");
            for caps in pattern.captures_iter(s) {
                let Some(m) = caps.get(0) else {
                    continue;
                };
                let range = TextRange::new(para.range.start + m.start, para.range.start + m.end);
                if taken
                    .iter()
                    .any(|t| t.start < range.end && range.start < t.end)
                {
                    continue;
                }
                if let Some(context) = claim.context_pattern() {
                    if !context.is_match(sentence(m.start, m.end)) {
                        continue;
                    }
                }
                if let Some(unless) = claim.unless_pattern() {
                    if unless.is_match(sentence(m.start, m.end)) {
                        continue;
                    }
                }
                if claim.kind == ClaimKind::Ignore {
                    taken.push(range);
                    continue;
                }
                let n = n_group.and_then(|g| caps.get(g)).and_then(|n| {
                    let value = match parse_value(&s[n.clone()]) {
                        Value::Number(d) => d,
                        _ => return None,
                    };
                    Some((
                        value,
                        TextRange::new(para.range.start + n.start, para.range.start + n.end),
                    ))
                });
                if claim.kind == ClaimKind::Count && n.is_none() {
                    continue;
                }
                taken.push(range);
                out.push(ClaimMatch { claim: i, range, n });
            }
        }
    }
    out
}

/// The value of a metric: the sum of its cells, if every one was read.
pub(crate) fn metric(ctx: &Ctx, name: &str) -> Option<Decimal> {
    let spec = ctx.profile.metrics.get(name)?;
    let mut sum = Decimal::ZERO;
    for cell_ref in &spec.resolved {
        let table = ctx.report.table(cell_ref.table)?;
        let row = table.row(cell_ref.row)?;
        if row.found != row.cells.len() {
            return None;
        }
        let col =
            ctx.profile.tables[cell_ref.table].column_index(cell_ref.row, &cell_ref.column)?;
        let cell = row.cells.get(col)?;
        if cell.value == Value::Missing {
            return None;
        }
        sum = sum.plus(cell.value.as_number()?);
    }
    Some(sum)
}

pub(crate) fn expr_value(ctx: &Ctx, expr: &Expr) -> Option<Decimal> {
    expr.0
        .iter()
        .try_fold(Decimal::ZERO, |acc, m| Some(acc.plus(metric(ctx, m)?)))
}

pub(crate) fn expr_name(ctx: &Ctx, expr: &Expr) -> String {
    let names: Vec<&str> = expr
        .0
        .iter()
        .filter_map(|m| ctx.profile.metrics.get(m))
        .map(|m| m.display_name(ctx.lang))
        .collect();
    match (ctx.lang, names.len()) {
        (_, 0 | 1) => names.concat(),
        (Lang::Zh, _) => format!("{}之和", names.join("与")),
        (Lang::En, _) => names.join(" plus "),
    }
}

/// Reports the profile's claims that belong to `meta`'s rule and the tables contradict.
pub(crate) fn report_claims(ctx: &Ctx, acc: &mut Vec<Diagnostic>, meta: &RuleMeta) {
    for m in claim_matches(ctx) {
        let claim = &ctx.profile.claims[m.claim];
        if claim.rule != meta.code {
            continue;
        }
        let said = ctx.slice(m.range);
        let severity = claim.severity_resolved.unwrap_or(meta.severity);
        match (claim.kind, m.n) {
            (ClaimKind::Count, Some((n, n_range))) => {
                let expected: Vec<(&Expr, Decimal)> = claim
                    .expect_resolved
                    .iter()
                    .filter_map(|e| Some((e, expr_value(ctx, e)?)))
                    .collect();
                if expected.is_empty() || expected.iter().any(|(_, v)| *v == n) {
                    continue;
                }
                let table_says = expected
                    .iter()
                    .map(|(e, v)| {
                        format!(
                            "{}{}",
                            expr_name(ctx, e),
                            tr!(ctx.lang, "为 {v}", " is {v}")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(if ctx.lang == Lang::Zh { "，" } else { "; " });
                let warn = claim
                    .warn_resolved
                    .iter()
                    .find_map(|e| (expr_value(ctx, e)? == n).then_some(e));
                if let Some(w) = warn {
                    let equals = expr_name(ctx, w);
                    let message = tr!(
                        ctx.lang,
                        "文中「{said}」的 {n} 等于{equals}，而表中{table_says}；请确认所指",
                        "“{said}”: {n} equals {equals}, while in the table {table_says}; check what is meant"
                    );
                    let mut d = ctx.diag(meta, m.range, message);
                    d.severity = Severity::Warning.max(severity);
                    acc.push(d);
                    continue;
                }
                let message = tr!(
                    ctx.lang,
                    "文中「{said}」与表格不符：表中{table_says}",
                    "“{said}” contradicts the table: there {table_says}"
                );
                let mut d = ctx.diag(meta, m.range, message);
                d.severity = severity;
                if let [(_, v)] = expected.as_slice() {
                    d = d.with_fix(Fix::new(
                        tr!(ctx.lang, "将 {n} 改为 {v}", "Change {n} to {v}"),
                        vec![TextEdit::replace(n_range, v.to_string())],
                        Applicability::Unsafe,
                    ));
                }
                acc.push(d);
            }
            (ClaimKind::Zero, _) => {
                let nonzero: Vec<String> = claim
                    .zero
                    .iter()
                    .filter_map(|name| {
                        let v = metric(ctx, name)?;
                        (!v.is_zero()).then(|| {
                            let metric_name = ctx.profile.metrics[name].display_name(ctx.lang);
                            tr!(ctx.lang, "{metric_name}为 {v}", "{metric_name} is {v}")
                        })
                    })
                    .collect();
                if nonzero.is_empty() {
                    continue;
                }
                let list = nonzero.join(if ctx.lang == Lang::Zh { "，" } else { "; " });
                let message = tr!(
                    ctx.lang,
                    "文中「{said}」与表格不符：表中{list}",
                    "“{said}” contradicts the table: there {list}"
                );
                let mut d = ctx.diag(meta, m.range, message);
                d.severity = severity;
                acc.push(d);
            }
            _ => {}
        }
    }
}

/// A count written in prose: `57件`.
#[derive(Clone, Debug)]
pub(crate) struct Count {
    pub value: Decimal,
    pub unit: String,
    /// The digits.
    pub range: TextRange,
    /// The end of the unit.
    pub end: usize,
    pub in_parens: bool,
    /// How many brackets are open around it.
    pub depth: u8,
    /// Follows a comparison (`较去年增加5件`): a difference, not a part.
    pub comparative: bool,
    pub percent: Option<Percent>,
}

/// A percentage written after a count or alone: `占52.6%`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Percent {
    /// The value as written, in hundredths of the printed precision.
    pub value: Decimal,
    /// The digits, without the `%`.
    pub range: TextRange,
}

/// A `其中` breakdown: a whole and the parts listed after it, to the end of the sentence.
#[derive(Clone, Debug)]
pub(crate) struct Breakdown {
    /// The count the parts are of; a list of bare percentages may have none.
    pub whole: Option<Count>,
    pub parts: Vec<Count>,
    /// No `等` after the last part: the list claims to be complete.
    pub exhaustive: bool,
    pub marker: TextRange,
    /// Percentages after `其中` that belong to no count (`其中A占18.95%…其它占2.04%`).
    pub bare_percents: Vec<Percent>,
    /// The last bare percentage is of `其他`/`其它`: the list covers everything.
    pub bare_complete: bool,
}

const UNITS: &str = "人次|件|条|个|项|次|份|篇|家|场|期|批|宗";
const COMPARISONS: &[&str] = &[
    "较",
    "同比",
    "环比",
    "比上年",
    "比去年",
    "比上一年",
    "比上年度",
    "增长",
    "增加",
    "减少",
    "下降",
    "上升",
    "提高",
    "降低",
    "多出",
    "少于",
];

/// Whether a clause holds one of [`COMPARISONS`].
fn is_comparative(clause: &str) -> bool {
    static COMPARISON_WORDS: Words = Words::new(COMPARISONS);
    COMPARISON_WORDS.any_in(clause)
}

/// Words looked for in many clauses, with the characters they start with.
struct Words {
    list: &'static [&'static str],
    firsts: OnceLock<Vec<char>>,
}

impl Words {
    const fn new(list: &'static [&'static str]) -> Words {
        Words {
            list,
            firsts: OnceLock::new(),
        }
    }

    /// Whether `clause` holds one of the words: one pass over its characters, trying the words
    /// only at the characters they start with (a search per word was most of the cost of
    /// reading counts).
    fn any_in(&self, clause: &str) -> bool {
        let firsts = self
            .firsts
            .get_or_init(|| self.list.iter().filter_map(|w| w.chars().next()).collect());
        clause.char_indices().any(|(i, c)| {
            firsts.contains(&c) && self.list.iter().any(|w| clause[i..].starts_with(w))
        })
    }
}

/// Words that start a new total: a list of parts ends before a clause holding one.
const NEW_TOTAL: &[&str] = &[
    "共", "合计", "总计", "全年", "累计", "办结", "答复", "受理", "收到", "结转",
];
static NEW_TOTAL_WORDS: Words = Words::new(NEW_TOTAL);

fn count_regex() -> &'static Pattern {
    static RE: OnceLock<Pattern> = OnceLock::new();
    RE.get_or_init(|| {
        Pattern::fixed(&format!(
            r"([0-9０-９]+(?:[,，][0-9０-９]{{3}})*)\s*({UNITS})"
        ))
    })
}

fn percent_after_regex() -> &'static Pattern {
    static RE: OnceLock<Pattern> = OnceLock::new();
    RE.get_or_init(|| {
        Pattern::fixed(r"^[，,]?\s*(?:约|分别)?(?:占|占比|比例为|占比为)[^0-9０-９。；;，,%％]{0,10}?([0-9０-９]+(?:\.[0-9０-９]+)?)\s*[%％]")
    })
}

fn bare_percent_regex() -> &'static Pattern {
    static RE: OnceLock<Pattern> = OnceLock::new();
    RE.get_or_init(|| {
        Pattern::fixed(r"(?:占|占比|比例为)[^0-9０-９。；;，,%％]{0,10}?([0-9０-９]+(?:\.[0-9０-９]+)?)\s*[%％]")
    })
}

/// The counts of the report's paragraph `i`, read once and shared by the rules.
pub(crate) fn paragraph_counts<'c>(ctx: &'c Ctx, i: usize) -> &'c [Count] {
    let all = ctx.cache.counts.get_or_init(|| {
        ctx.report
            .paragraphs
            .iter()
            .map(|_| std::cell::OnceCell::new())
            .collect()
    });
    all[i].get_or_init(|| counts(ctx.text, ctx.report.paragraphs[i].range))
}

/// Every count in a paragraph.
pub(crate) fn counts(text: &str, para: TextRange) -> Vec<Count> {
    let s = &text[para.as_range()];
    // Bracket depth, followed along as the counts come in order.
    let (mut depth_at, mut depth) = (0usize, 0u8);
    let mut out = Vec::new();
    for caps in count_regex().captures_iter(s) {
        let (Some(num), Some(unit), Some(whole)) = (caps.get(1), caps.get(2), caps.get(0)) else {
            continue;
        };
        // Part of a larger number or a date (`2021年`, `12件` inside `112件` cannot happen; `5.5件` can).
        if s[..num.start].ends_with(|c: char| c.is_ascii_digit() || c == '.' || c == '．') {
            continue;
        }
        let Value::Number(value) = parse_value(&s[num.clone()]) else {
            continue;
        };
        depth = paren_depth_from(&s[depth_at..num.start], depth);
        depth_at = num.start;
        let clause_start = s[..num.start]
            .rfind(['，', ',', '；', ';', '：', ':', '。', '、', '（', '('])
            .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
        let clause = &s[clause_start..num.start];
        let comparative = is_comparative(clause);
        let after = &s[whole.end..];
        let percent = may_start_percent(after)
            .then(|| percent_after_regex().captures(after))
            .flatten()
            .and_then(|c| {
                let p = c.get(1)?;
                let Value::Number(value) = parse_value(&after[p.clone()]) else {
                    return None;
                };
                let start = para.start + whole.end + p.start;
                Some(Percent {
                    value,
                    range: TextRange::new(start, start + p.len()),
                })
            });
        out.push(Count {
            value,
            unit: s[unit].to_string(),
            range: TextRange::new(para.start + num.start, para.start + num.end),
            end: para.start + whole.end,
            in_parens: depth > 0,
            depth,
            comparative,
            percent,
        });
    }
    out
}

/// Whether `after` can start as [`percent_after_regex`] requires (`，占…`, `约占…`, `比例为…`):
/// most counts have no percentage, and this spares them the search.
fn may_start_percent(after: &str) -> bool {
    let t = after.strip_prefix(['，', ',']).unwrap_or(after);
    let t = t.trim_start_matches(char::is_whitespace);
    let t = t
        .strip_prefix('约')
        .or_else(|| t.strip_prefix("分别"))
        .unwrap_or(t);
    t.starts_with('占') || t.starts_with("比例为")
}

/// The bracket depth after `s`, starting from `depth`.
fn paren_depth_from(s: &str, mut depth: u8) -> u8 {
    for c in s.chars() {
        match c {
            '（' | '(' => depth = depth.saturating_add(1),
            '）' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

/// For each byte, how many brackets are open.
fn paren_depths(s: &str) -> Vec<u8> {
    let mut out = vec![0u8; s.len() + 1];
    let mut depth: u8 = 0;
    for (i, c) in s.char_indices() {
        match c {
            '（' | '(' => depth = depth.saturating_add(1),
            '）' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        for slot in out.iter_mut().skip(i).take(c.len_utf8()) {
            *slot = depth;
        }
    }
    out
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// How far from a match its sentence is read, in bytes (about 170 Chinese characters).
const CONTEXT: usize = 512;

/// The char boundary at or after `at`, at most the end.
fn ceil(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Where each sentence of `s` but the first starts: just after a sentence's final mark.
fn sentence_starts(s: &str) -> Vec<usize> {
    s.char_indices()
        .filter(|(_, c)| is_sentence_end(*c))
        .map(|(i, c)| i + c.len_utf8())
        .collect()
}

/// Where the sentence holding byte `at` ends (after its final mark), from [`sentence_starts`];
/// `len` when it runs to the end of the text.
fn sentence_end_after(starts: &[usize], at: usize, len: usize) -> usize {
    starts
        .get(starts.partition_point(|&e| e <= at))
        .copied()
        .unwrap_or(len)
}

/// Where the sentence holding byte `at` starts, from [`sentence_starts`].
fn sentence_start_before(starts: &[usize], at: usize) -> usize {
    let n = starts.partition_point(|&e| e <= at);
    n.checked_sub(1).map_or(0, |i| starts[i])
}

/// The `其中` breakdowns of every paragraph of the report.
///
/// The parts are the counts after `其中` at the same bracket depth, up to the end of the
/// sentence (or of the bracket), stopping before a clause that starts a new total (`全年办结…`).
/// The whole is the count before `其中` (in its sentence, or the sentence before when `其中`
/// opens one) that the parts add up to; failing that, the nearest that is not smaller.
pub(crate) fn breakdowns<'c>(ctx: &'c Ctx) -> &'c [Breakdown] {
    ctx.cache.breakdowns.get_or_init(|| {
        static QIZHONG: crate::text::Needle = crate::text::Needle::new("其中");
        let mut out = Vec::new();
        for (i, para) in ctx.report.paragraphs.iter().enumerate() {
            let s = ctx.slice(para.range);
            if !QIZHONG.is_in(s) {
                continue;
            }
            let all = paragraph_counts(ctx, i);
            debug_assert!(all.windows(2).all(|w| w[0].range.start < w[1].range.start));
            let shape = Shape {
                depths: paren_depths(s),
                sentences: sentence_starts(s),
                percents: all
                    .iter()
                    .filter_map(|c| Some(c.percent?.range.start))
                    .collect(),
            };
            for (m, _) in s.match_indices("其中") {
                out.push(breakdown_at(ctx, para.range, s, all, &shape, m));
            }
        }
        out
    })
}

/// How many counts before a `其中` may be its whole.
const WHOLE_WITHIN: usize = 32;

/// What [`breakdown_at`] looks up in a paragraph, read once for all its `其中`.
struct Shape {
    /// The bracket depth at each byte.
    depths: Vec<u8>,
    /// From [`sentence_starts`].
    sentences: Vec<usize>,
    /// Where the percentages of counts (`12件，占10%`) start.
    percents: crate::hash::FastSet<usize>,
}

/// The breakdown at the `其中` at byte `m` of the paragraph `s`, whose counts are `all`, in order.
fn breakdown_at(
    ctx: &Ctx,
    para: TextRange,
    s: &str,
    all: &[Count],
    shape: &Shape,
    m: usize,
) -> Breakdown {
    let depths = &shape.depths;
    let at = para.start + m;
    let depth = depths.get(m).copied().unwrap_or(0);
    let body = m + "其中".len();
    // The list ends at the sentence's end, where its bracket closes, or at the next `其中` of
    // the same depth.
    let end_rel = s[body..]
        .char_indices()
        .map(|(i, c)| (body + i, c))
        .find(|&(pos, c)| {
            let d = depths.get(pos).copied().unwrap_or(0);
            d < depth || (d == depth && (is_sentence_end(c) || s[pos..].starts_with("其中")))
        })
        .map_or(s.len(), |(pos, _)| pos);
    let end = para.start + end_rel;
    let mut parts: Vec<Count> = Vec::new();
    let after = all.partition_point(|c| c.range.start <= at);
    for c in all[after..]
        .iter()
        .take_while(|c| c.range.start < end)
        .filter(|c| c.end <= end && c.depth == depth)
    {
        if c.comparative {
            continue;
        }
        let rel = c.range.start - para.start;
        let clause_start = s[..rel]
            .char_indices()
            .rfind(|(_, ch)| matches!(ch, '，' | ',' | '；' | ';' | '：' | ':' | '、' | '。'))
            .map_or(0, |(i, ch)| i + ch.len_utf8());
        let clause = &s[clause_start..rel];
        if !parts.is_empty() && NEW_TOTAL_WORDS.any_in(clause) {
            break;
        }
        if parts.first().is_some_and(|p| p.unit != c.unit) {
            continue;
        }
        parts.push(c.clone());
    }
    let sentence_start = sentence_start_before(&shape.sentences, m);
    let starts_sentence = s[sentence_start..m]
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '：' | ':' | '，' | ','))
        .is_empty();
    let from = if starts_sentence && sentence_start > 0 {
        let prev_end = s[..sentence_start]
            .char_indices()
            .next_back()
            .map_or(0, |(i, _)| i);
        sentence_start_before(&shape.sentences, prev_end)
    } else {
        sentence_start
    };
    let unit = parts.first().map(|p| p.unit.clone());
    // The whole is near: of a long run of figures before `其中`, only the last ones are looked
    // at, so that a paragraph of many figures costs in proportion to them.
    let first = all
        .partition_point(|c| c.range.start < para.start + from)
        .max(after.saturating_sub(WHOLE_WITHIN));
    let candidates: Vec<&Count> = all[first..after]
        .iter()
        .filter(|c| c.end <= at)
        .filter(|c| c.depth <= depth && !c.comparative && (depth > 0 || !c.in_parens))
        .filter(|c| unit.as_ref().is_none_or(|u| &c.unit == u))
        .collect();
    let sum = Decimal::sum(parts.iter().map(|p| p.value));
    let whole = candidates
        .iter()
        .rfind(|c| c.value == sum && parts.len() >= 2)
        .or_else(|| candidates.iter().rfind(|c| c.value >= sum))
        .or_else(|| candidates.last())
        .map(|c| (*c).clone());
    let tail_from = parts.last().map_or(at, |p| p.end);
    let exhaustive = !ctx.text[tail_from..end.max(tail_from)].contains('等');
    let bare: Vec<(Percent, usize)> = bare_percent_regex()
        .captures_iter(&s[m..end_rel])
        .filter_map(|c| {
            let p = c.get(1)?;
            let Value::Number(value) = parse_value(&s[m..end_rel][p.clone()]) else {
                return None;
            };
            let start = at + p.start;
            let percent = Percent {
                value,
                range: TextRange::new(start, start + p.len()),
            };
            Some((percent, at + c.get(0)?.start))
        })
        .filter(|(p, _)| !shape.percents.contains(&p.range.start))
        .collect();
    let bare_complete = bare.last().is_some_and(|(_, pos)| {
        let before = &ctx.text[at..*pos];
        let clause = before
            .rfind(['，', ',', '；', ';', '：', ':', '、'])
            .map_or(before, |i| &before[i..]);
        clause.contains("其他") || clause.contains("其它")
    });
    Breakdown {
        whole,
        parts,
        exhaustive,
        marker: TextRange::new(at, at + "其中".len()),
        bare_percents: bare.into_iter().map(|(p, _)| p).collect(),
        bare_complete,
    }
}

/// Whether `percent` is `100·n/whole` to its printed precision (within half a unit of the
/// last digit), and the correct value written with as many decimals.
pub(crate) fn check_percent(
    n: Decimal,
    whole: Decimal,
    percent: Decimal,
    tolerance: Option<Decimal>,
) -> Result<(), String> {
    let d = percent.scale();
    let scale = 10i128.pow(d);
    let (Some(n), Some(w)) = (n.to_i128(), whole.to_i128()) else {
        return Ok(());
    };
    if w <= 0 {
        return Ok(());
    }
    // Compare at a scale fine enough for both the printed digits and the tolerance.
    let k = d.max(tolerance.map_or(0, |t| t.scale())).min(12);
    let at_k = |x: Decimal| {
        x.with_scale(k)
            .to_string()
            .replace(['.', '-'], "")
            .parse::<i128>()
            .unwrap_or(0)
    };
    let scale_k = 10i128.pow(k);
    let diff = (at_k(percent) * w - 100 * n * scale_k).abs();
    // Half a unit of the last printed digit, or the configured tolerance if larger.
    let half_unit_ok = 2 * diff * 10i128.pow(d) <= w * scale_k;
    let tolerance_ok = tolerance.is_some_and(|t| diff <= at_k(t) * w);
    if half_unit_ok || tolerance_ok {
        return Ok(());
    }
    let correct = (2 * 100 * n * scale + w) / (2 * w);
    let int = correct / scale;
    let frac = correct % scale;
    Err(if d == 0 {
        int.to_string()
    } else {
        format!("{int}.{frac:0width$}", width = d as usize)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_are_found_anywhere_in_a_clause() {
        for w in COMPARISONS {
            assert!(is_comparative(&format!("申请数{w}")), "{w}");
            assert!(is_comparative(&format!("{w}10件")), "{w}");
        }
        assert!(!is_comparative("本年度共收到申请"));
        assert!(!is_comparative(""));
    }

    fn dec(s: &str) -> Decimal {
        match parse_value(s) {
            Value::Number(d) => d,
            _ => panic!("{s}"),
        }
    }

    fn check_percent_t(n: Decimal, w: Decimal, p: Decimal) -> Result<(), String> {
        check_percent(n, w, p, None)
    }

    #[test]
    fn a_tolerance_widens_the_check() {
        assert!(check_percent(dec("5"), dec("57"), dec("8.9"), None).is_err());
        assert_eq!(
            check_percent(dec("5"), dec("57"), dec("8.9"), Some(dec("0.2"))),
            Ok(())
        );
        assert!(check_percent(dec("5"), dec("57"), dec("9.8"), Some(dec("0.2"))).is_err());
    }

    #[test]
    fn percentages_within_half_a_unit() {
        assert_eq!(check_percent_t(dec("30"), dec("57"), dec("52.6")), Ok(()));
        assert_eq!(
            check_percent_t(dec("5"), dec("57"), dec("9.8")),
            Err("8.8".to_string())
        );
        assert_eq!(check_percent_t(dec("5"), dec("57"), dec("8.77")), Ok(()));
        assert_eq!(check_percent_t(dec("5"), dec("57"), dec("9")), Ok(()));
        assert_eq!(check_percent_t(dec("1"), dec("3"), dec("33.3")), Ok(()));
        assert_eq!(
            check_percent_t(dec("1"), dec("3"), dec("33.4")),
            Err("33.3".to_string())
        );
        assert_eq!(check_percent_t(dec("14"), dec("14"), dec("100")), Ok(()));
        assert_eq!(check_percent_t(dec("1"), dec("8"), dec("12.5")), Ok(()));
    }

    #[test]
    fn words_are_found_anywhere_in_a_clause() {
        for clause in [
            "",
            "共",
            "其中予以公开",
            "全年共办结",
            "本年收到",
            "结",
            "合",
            "总数",
            "😀累计",
            "累",
        ] {
            for list in [NEW_TOTAL, COMPARISONS] {
                assert_eq!(
                    Words::new(list).any_in(clause),
                    list.iter().any(|w| clause.contains(w)),
                    "{clause}"
                );
            }
        }
    }

    #[test]
    fn counts_know_parentheses_and_comparisons() {
        let text =
            "受理申请57件（含上年度结转申请4件），较去年增加5件，其中予以公开30件，占52.6%。";
        let c = counts(text, TextRange::new(0, text.len()));
        assert_eq!(c.len(), 4);
        assert!(!c[0].in_parens && c[1].in_parens);
        assert!(c[2].comparative);
        assert_eq!(
            c[3].percent.map(|p| p.value.to_string()),
            Some("52.6".to_string())
        );
    }
}
