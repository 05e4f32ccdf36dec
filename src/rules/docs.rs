//! A rule's documentation, as `reportlint rule CODE` prints it.

use crate::lang::Lang;

use super::RuleMeta;

pub fn explain(m: &RuleMeta, lang: Lang) -> String {
    let (what, why, example, fix, severity) = match lang {
        Lang::Zh => ("检查内容", "为什么重要", "示例", "修复", "严重程度"),
        Lang::En => (
            "What it checks",
            "Why it matters",
            "Example",
            "Fix",
            "Severity",
        ),
    };
    let sev = m.severity.as_str();
    let safety = m.fix.as_str();
    format!(
        "{code} {name}\n\n{what}: {summary}\n{severity}: {sev}\n\n{why}:\n{why_text}\n\n{example}:\n{example_text}\n\n{fix} ({safety}):\n{fix_text}\n",
        code = m.code,
        name = m.name,
        summary = m.summary.get(lang),
        why_text = m.why.get(lang),
        example_text = indent(m.example),
        fix_text = m.fix_note.get(lang),
    )
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table of rules in the README, between its `rules:start` and `rules:end` markers.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| Code | Name | Severity | Fix | What it checks |\n|---|---|---|---|---|\n");
    for r in super::ALL {
        let m = r.meta;
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.fix.as_str(),
            m.summary
                .zh
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('|', "\\|")
        ));
    }
    out
}
