//! T008: a table follows another edition of the format than the report year requires.

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::normalize::normalize;
use crate::document::ProfileChoice;
use crate::lang::Text;
use crate::profile::builtins;
use crate::tr;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "T008",
    name: "wrong-format-edition",
    severity: Severity::Error,
    fix: FixSafety::None,
    summary: Text::new(
        "表格使用了与报告年度不符的格式版本",
        "A table follows another edition of the format than the report year requires",
    ),
    why: Text::new(
        "2019、2020 年度报告使用国办公开办函〔2019〕60号的格式，2021 年度起使用国办公开办函〔2021〕30号的格式；两版的行和列不同，套用旧表会漏报或错报。",
        "Reports for 2019–2020 use the format of the 2019 notice, reports from 2021 that of the 2021 notice; their rows and columns differ, so an old table misreports.",
    ),
    example: "某县2021年政府信息公开工作年度报告\n……\n其他对外管理服务事项\t15\t-1\t1780",
    fix_note: Text::new("无自动修复：请改用正确版本的表格。", "No fix: use the right edition's table."),
};

pub(crate) fn check(ctx: &Ctx, acc: &mut Vec<Diagnostic>) {
    let report = ctx.report;
    for table in &report.tables {
        let spec = &ctx.profile.tables[table.spec];
        // The other edition these labels belong to; one finding per table names them all.
        let mut found: Vec<&crate::document::Cell> = Vec::new();
        let mut theirs = None;
        for cell in &table.foreign {
            let norm = normalize(cell.text(ctx.text));
            let other = builtins()
                .iter()
                .filter(|p| p.id != ctx.profile.id)
                .find(|p| {
                    p.table(&spec.id)
                        .is_some_and(|t| !p.tables[t].lookup(&norm).is_empty())
                });
            if let Some(other) = other {
                theirs.get_or_insert(other);
                found.push(cell);
            }
        }
        let (Some(first), Some(other)) = (found.first(), theirs) else {
            continue;
        };
        let mut labels: Vec<&str> = Vec::new();
        for c in &found {
            let t = c.text(ctx.text).trim();
            if !labels.contains(&t) {
                labels.push(t);
            }
        }
        let shown = labels
            .iter()
            .take(4)
            .map(|l| ctx.q(l))
            .collect::<Vec<_>>()
            .join(if ctx.lang == crate::lang::Lang::Zh {
                "、"
            } else {
                ", "
            });
        let more = if labels.len() > 4 {
            tr!(ctx.lang, "等 {n} 处", " and {n} more", n = labels.len() - 4)
        } else {
            String::new()
        };
        let theirs = other.display_name(ctx.lang);
        let ours = ctx.profile.display_name(ctx.lang);
        let name = spec.display_name(ctx.lang);
        let message = match (report.profile_choice, report.year) {
            (ProfileChoice::Year, Some(y)) => {
                let year = y.value;
                tr!(
                    ctx.lang,
                    "「{name}」使用了《{theirs}》的行或列：{shown}{more}；{year}年度报告应使用《{ours}》",
                    "The table ({name}) uses rows or columns of the {theirs}: {shown}{more}; a report for {year} uses the {ours}"
                )
            }
            _ => tr!(
                ctx.lang,
                "「{name}」使用了《{theirs}》的行或列：{shown}{more}，而本报告按《{ours}》检查",
                "The table ({name}) uses rows or columns of the {theirs}: {shown}{more}, but this report is checked against the {ours}"
            ),
        };
        let mut d = ctx.diag(&META, first.range, message);
        for c in found.iter().skip(1) {
            let t = c.text(ctx.text).trim();
            d = d.with_related(c.range, tr!(ctx.lang, "「{t}」", "“{t}”"));
        }
        acc.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Flavour;
    use crate::rules::test_support::{check_rule, clean_report};

    #[test]
    fn old_rows_in_a_new_report() {
        let text = clean_report(Flavour::Plain)
            .replace("行政许可\t0\t\t\n", "行政许可\t0\t\t\n其他对外管理服务事项\t15\t-1\t1780\n")
            .replace(
                "\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0",
                "\t（六）其他处理\t\t0\t0\t0\t0\t0\t0\t0",
            );
        insta::assert_snapshot!(check_rule("T008", &text), @"
        36:1 error 「主动公开政府信息情况表」使用了《政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）》的行或列：「其他对外管理服务事项」；2021年度报告应使用《政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）》
        70:2 error 「收到和处理政府信息公开申请情况表」使用了《政府信息公开工作年度报告格式（试行）（国办公开办函〔2019〕60号）》的行或列：「（六）其他处理」；2021年度报告应使用《政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）》
        ");
    }
}
