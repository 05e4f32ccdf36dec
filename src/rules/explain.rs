//! What a total or a percentage is made of, for hovers: the arithmetic behind a cell.

use crate::document::Document;
use crate::lang::Lang;
use crate::text::TextRange;
use crate::tr;

use super::ledger::{expression, instances, Outcome};
use super::prose::{breakdowns, check_percent, counts};
use super::Ctx;

/// An explanation of the thing at an offset, in Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub range: TextRange,
    pub markdown: String,
}

/// Explains the table cell or prose percentage at `offset`, if it takes part in a check.
pub fn explain_at(text: &str, doc: &Document, offset: usize, lang: Lang) -> Option<Explanation> {
    let index = doc.reports.iter().position(|r| {
        let range = r.abs(r.range);
        range.start <= offset && offset <= range.end
    })?;
    let placed = &doc.reports[index];
    let ctx = Ctx::new(text, doc, index, lang);
    let local = offset - placed.offset;
    let found = cell(&ctx, local).or_else(|| percentage(&ctx, local))?;
    Some(Explanation {
        range: placed.abs(found.range),
        ..found
    })
}

fn covers(r: TextRange, offset: usize) -> bool {
    r.start <= offset && offset <= r.end
}

fn cell(ctx: &Ctx, offset: usize) -> Option<Explanation> {
    let mut lines = Vec::new();
    let mut range = None;
    for inst in instances(ctx) {
        let hit = inst.lhs.iter().chain(&inst.rhs).find(|t| {
            covers(t.cell.range, offset) || covers(t.cell.slot, offset) && t.cell.range.is_empty()
        });
        let Some(hit) = hit else {
            continue;
        };
        range.get_or_insert(if hit.cell.range.is_empty() {
            hit.cell.slot
        } else {
            hit.cell.range
        });
        let lhs_names = inst
            .lhs
            .iter()
            .map(|t| t.name)
            .collect::<Vec<_>>()
            .join(" + ");
        let rhs_names = inst
            .rhs
            .iter()
            .map(|t| t.name)
            .collect::<Vec<_>>()
            .join(" + ");
        let lhs = expression(ctx.lang, &inst.lhs);
        let rhs = expression(ctx.lang, &inst.rhs);
        let status = match inst.evaluate() {
            Outcome::Holds => "✓".to_string(),
            Outcome::Broken { lhs, rhs } | Outcome::Hidden { lhs, rhs, .. } => {
                tr!(ctx.lang, "✗（{lhs} ≠ {rhs}）", "✗ ({lhs} ≠ {rhs})")
            }
            Outcome::Unreadable => {
                tr!(ctx.lang, "（有单元格不是数字）", "(a cell is not a number)")
            }
        };
        let along = inst.along;
        let code = &inst.relation.rule;
        let head = if along.is_empty() {
            String::new()
        } else {
            format!("**{along}** · ")
        };
        lines.push(format!(
            "{head}{lhs_names} = {rhs_names}\n\n`{lhs}` = `{rhs}` {status} ({code})"
        ));
    }
    let range = range?;
    Some(Explanation {
        range,
        markdown: lines.join("\n\n---\n\n"),
    })
}

fn percentage(ctx: &Ctx, offset: usize) -> Option<Explanation> {
    let para = ctx
        .report
        .paragraphs
        .iter()
        .find(|p| covers(p.range, offset))?;
    let found = counts(ctx.text, para.range)
        .into_iter()
        .find(|c| c.percent.is_some_and(|p| covers(p.range, offset)) || covers(c.range, offset))?;
    let parts = breakdowns(ctx);
    let whole = parts
        .iter()
        .find(|b| b.parts.iter().any(|p| p.range == found.range))
        .and_then(|b| b.whole.clone())?;
    let n = found.value;
    let w = whole.value;
    let unit = &found.unit;
    let percent = found.percent?;
    let written = ctx.slice(percent.range);
    let exact = match check_percent(n, w, percent.value, ctx.percent_tolerance) {
        Ok(()) => tr!(
            ctx.lang,
            "与文中 {written}% 相符 ✓",
            "matches the {written}% written ✓"
        ),
        Err(correct) => tr!(
            ctx.lang,
            "应为 {correct}%，文中为 {written}% ✗",
            "should be {correct}%, the text says {written}% ✗"
        ),
    };
    let markdown = match ctx.lang {
        Lang::Zh => format!("{n}{unit} ÷ {w}{unit}（「其中」前的总数）：{exact}"),
        Lang::En => format!("{n} ÷ {w} (the whole before 其中): {exact}"),
    };
    Some(Explanation {
        range: percent.range,
        markdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{analyze, Options};

    #[test]
    fn explains_a_total_and_a_percentage() {
        let mut text = crate::rules::test_support::clean_report(crate::document::Flavour::Plain);
        text.push_str("\n共答复申请8件，其中予以公开1件，占12.5%，不予处理7件，占87.5%。\n");
        let a = analyze(&text, &Options::default());
        let total = text.find("（七）总计\t\t0").unwrap() + "（七）总计\t\t".len();
        let e = explain_at(&text, &a.document, total, Lang::Zh).unwrap();
        assert!(e.markdown.contains("（七）总计"), "{}", e.markdown);
        assert!(e.markdown.contains("✓"), "{}", e.markdown);
        let pct = text.find("12.5").unwrap();
        let e = explain_at(&text, &a.document, pct, Lang::Zh).unwrap();
        assert!(e.markdown.contains("1件 ÷ 8件"), "{}", e.markdown);
    }
}
