//! T009: a table label or header is written differently from the format.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::normalize::normalize;
use crate::document::{Cell, LabelMatch};
use crate::lang::Text;
use crate::profile::LabelRef;
use crate::text::TextEdit;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T009",
    name: "label-noncanonical",
    severity: Severity::Warning,
    fix: FixSafety::Safe,
    summary: Text::new(
        "表格的行名或表头与格式规定的写法不同",
        "A table label or header differs from the format's wording",
    ),
    why: Text::new(
        "改写或残缺的表头（如「社会组织」「结果」）会让人看错列；统一的写法便于汇总。",
        "Reworded or truncated headers (such as 社会组织 or 结果) make columns easy to misread; the format's wording compiles cleanly.",
    ),
    example: "自然人\t商业企业\t科研机构\t社会组织",
    fix_note: Text::new(
        "能确定对应的规范写法时改为该写法（安全）。",
        "Uses the format's wording where it is clear which label is meant (safe).",
    ),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for table in ctx.report.tables.iter().filter(|t| !t.mixes_editions()) {
        let spec = &ctx.profile.tables[table.spec];
        let loose = table
            .labels
            .iter()
            .filter(|l| l.label_match == LabelMatch::Fuzzy)
            .map(|l| (&l.cell, l.label))
            .chain(
                table
                    .rows
                    .iter()
                    .filter(|r| r.label_match == LabelMatch::Fuzzy)
                    .map(|r| (&r.label, LabelRef::Row(r.spec))),
            );
        for (cell, label) in loose {
            // A fragment that only resembles a row the table has already: renaming it would
            // make a second such row.
            let taken = matches!(label, LabelRef::Row(r) if table.rows.iter().any(|row| {
                row.spec == r
                    && row.label.range != cell.range
                    && row.label_match != LabelMatch::Fuzzy
            }));
            if taken {
                continue;
            }
            let Some(canonical) = spec.canonical_text(label, &normalize(cell.text(ctx.text)))
            else {
                continue;
            };
            push(ctx, acc, cell, &[canonical.to_string()]);
        }
        for cell in &table.unknown_headers {
            let mut options =
                crate::document::table_suggestions(spec, &normalize(cell.text(ctx.text)), 3);
            // Not a row the table has already.
            let present = |r: usize| {
                table
                    .rows
                    .iter()
                    .any(|row| row.spec == r && row.label_match != LabelMatch::Fuzzy)
            };
            options.retain(|o| {
                !spec
                    .label_texts()
                    .any(|(l, at)| l == o && matches!(at, LabelRef::Row(r) if present(r)))
            });
            push(ctx, acc, cell, &options);
        }
    }
}

fn push(ctx: &Ctx, acc: &mut Vec<Diagnostic>, cell: &Cell, options: &[String]) {
    let written = cell.text(ctx.text).trim();
    let message = match options {
        [] => tr!(
            ctx.lang,
            "「{written}」不是格式中的表头或行名",
            "“{written}” is not a label of the format's table"
        ),
        [one] => tr!(
            ctx.lang,
            "「{written}」应写作「{one}」",
            "“{written}” should read “{one}”"
        ),
        many => {
            let list = many
                .iter()
                .map(|m| ctx.q(m))
                .collect::<Vec<_>>()
                .join(" / ");
            tr!(
                ctx.lang,
                "「{written}」不是规范写法，可能是 {list}",
                "“{written}” is not the format's wording; perhaps {list}"
            )
        }
    };
    let mut d = ctx.diag(&META, cell.range, message);
    if let [one] = options {
        // Only a label on one line can be rewritten safely; a label broken over lines keeps its shape.
        if !ctx.slice(cell.range).contains('\n') {
            d = d.with_fix(Fix::safe(
                tr!(ctx.lang, "改为「{one}」", "Use “{one}”"),
                vec![TextEdit::replace(cell.range, one.clone())],
            ));
        }
    }
    acc.push(d);
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn truncated_and_reworded_labels() {
        let text = clean_report(Flavour::Plain)
            .replace("\t社会公益组织\t", "\t社会组织\t")
            .replace("第二十条第（五）项", "第二十条第(五)")
            .replace("\t（一）予以公开\t", "\t予以公开\t");
        insta::assert_snapshot!(check_rule("T009", &text), @"
        33:1 warning 「第二十条第(五)」应写作「第二十条第（五）项」
          fix (safe): 改为「第二十条第（五）项」
          -第二十条第(五)			
          +第二十条第（五）项			
        48:15 warning 「社会组织」应写作「社会公益组织」
          fix (safe): 改为「社会公益组织」
          -				商业企业	科研机构	社会组织	法律服务机构	其他	
          +				商业企业	科研机构	社会公益组织	法律服务机构	其他	
        51:11 warning 「予以公开」应写作「（一）予以公开」
          fix (safe): 改为「（一）予以公开」
          -三、本年度办理结果	予以公开		0	0	0	0	0	0	0
          +三、本年度办理结果	（一）予以公开		0	0	0	0	0	0	0
        ");
    }
}
