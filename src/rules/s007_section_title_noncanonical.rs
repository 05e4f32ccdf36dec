//! S007: a section's title differs from the format's wording.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::document::TitleMatch;
use crate::lang::Text;
use crate::text::TextEdit;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S007",
    name: "section-title-noncanonical",
    severity: Severity::Warning,
    fix: FixSafety::Safe,
    summary: Text::new("部分标题与格式规定的写法不同", "A section title differs from the format's wording"),
    why: Text::new(
        "格式规定了统一的标题，汇总和检索依赖统一的写法；改写的标题也容易让人误以为内容不同。",
        "The format fixes the titles; compiling and searching reports rely on them, and a reworded title suggests different content.",
    ),
    example: "五、当前存在的主要问题及下步改进措施",
    fix_note: Text::new("将标题改为规定写法（安全）。", "Renames the title to the format's wording (safe)."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    for s in &ctx.report.sections {
        if s.quality == TitleMatch::Canonical {
            continue;
        }
        let canonical = &ctx.profile.sections[s.spec].title;
        let written = ctx.slice(s.title_range);
        let message = tr!(
            ctx.lang,
            "标题「{written}」与格式规定的「{canonical}」不同",
            "The title “{written}” differs from the format's “{canonical}”"
        );
        let fix = Fix::safe(
            tr!(ctx.lang, "改为「{canonical}」", "Rename to “{canonical}”"),
            vec![TextEdit::replace(s.title_range, canonical.clone())],
        );
        acc.push(ctx.diag(&META, s.title_range, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_rule, check_rule_en};

    #[test]
    fn variant_title() {
        let text = "某县2021年政府信息公开工作年度报告\n五、当前存在的主要问题及下步改进措施\n";
        insta::assert_snapshot!(check_rule("S007", text), @"
        2:3 warning 标题「当前存在的主要问题及下步改进措施」与格式规定的「存在的主要问题及改进情况」不同
          fix (safe): 改为「存在的主要问题及改进情况」
          -五、当前存在的主要问题及下步改进措施
          +五、存在的主要问题及改进情况
        ");
        insta::assert_snapshot!(check_rule_en("S007", text), @"
        2:3 warning The title “当前存在的主要问题及下步改进措施” differs from the format's “存在的主要问题及改进情况”
          fix (safe): Rename to “存在的主要问题及改进情况”
          -五、当前存在的主要问题及下步改进措施
          +五、存在的主要问题及改进情况
        ");
    }
}
