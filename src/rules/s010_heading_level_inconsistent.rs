//! S010: the six sections use different Markdown heading levels.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::lang::Text;
use crate::text::TextEdit;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S010",
    name: "heading-level-inconsistent",
    severity: Severity::Warning,
    fix: FixSafety::Safe,
    summary: Text::new(
        "六个部分的 Markdown 标题级别不一致",
        "The six sections use different Markdown heading levels",
    ),
    why: Text::new(
        "级别不一致的标题在网页和目录中显示为上下级，读者会误以为后几部分从属于前面的部分。",
        "Headings of different levels render as parent and child on the web and in outlines, so later sections look like parts of earlier ones.",
    ),
    example: "## 一、总体情况\n#### 四、政府信息公开行政复议、行政诉讼情况",
    fix_note: Text::new("改为多数部分使用的级别（安全）。", "Uses the level most sections use (safe)."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let sections = &ctx.report.sections;
    if sections.iter().all(|s| s.md_level.is_none()) {
        return;
    }
    let mut counts: Vec<(Option<u8>, usize)> = Vec::new();
    for s in sections {
        match counts.iter_mut().find(|(l, _)| *l == s.md_level) {
            Some((_, n)) => *n += 1,
            None => counts.push((s.md_level, 1)),
        }
    }
    if counts.len() < 2 {
        return;
    }
    // The most common level; on a tie, the first section's.
    let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let Some(&(level, _)) = counts.iter().find(|(_, n)| *n == best) else {
        return;
    };
    let marks = |l: Option<u8>| l.map_or_else(String::new, |l| "#".repeat(l as usize));
    let want = marks(level);
    for s in sections.iter().filter(|s| s.md_level != level) {
        let have = marks(s.md_level);
        let shown_want = if want.is_empty() {
            tr!(ctx.lang, "无 #", "no #")
        } else {
            want.clone()
        };
        let shown_have = if have.is_empty() {
            tr!(ctx.lang, "无 #", "no #")
        } else {
            have.clone()
        };
        let message = tr!(
            ctx.lang,
            "此部分标题级别为「{shown_have}」，其他部分为「{shown_want}」",
            "This section's heading level is “{shown_have}” while the others use “{shown_want}”"
        );
        let edit = match (s.md_marks, level) {
            (Some(r), Some(_)) => TextEdit::replace(r, want.clone()),
            (Some(r), None) => {
                let end = ctx.text[r.end..]
                    .find(|c: char| c != ' ')
                    .map_or(r.end, |i| r.end + i);
                TextEdit::delete(crate::text::TextRange::new(r.start, end))
            }
            (None, _) => TextEdit::insert(s.heading.start, format!("{want} ")),
        };
        let fix = Fix::safe(
            tr!(ctx.lang, "改为「{shown_want}」", "Use “{shown_want}”"),
            vec![edit],
        );
        acc.push(ctx.diag(&META, s.heading, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule_md;

    #[test]
    fn mixed_levels() {
        let text = "# 某县2021年政府信息公开工作年度报告\n\n## 一、总体情况\n\n## 二、主动公开政府信息情况\n\n#### 四、政府信息公开行政复议、行政诉讼情况\n\n六、其他需要报告的事项\n";
        insta::assert_snapshot!(check_rule_md("S010", text), @"
        7:1 warning 此部分标题级别为「####」，其他部分为「##」
          fix (safe): 改为「##」
          -#### 四、政府信息公开行政复议、行政诉讼情况
          +## 四、政府信息公开行政复议、行政诉讼情况
        9:1 warning 此部分标题级别为「无 #」，其他部分为「##」
          fix (safe): 改为「##」
          -六、其他需要报告的事项
          +## 六、其他需要报告的事项
        ");
    }
}
