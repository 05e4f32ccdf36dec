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
            escape(m.summary.zh).replace('|', "\\|")
        ));
    }
    out
}

/// Where the rule pages are published (`docs/rules.md` of the repository).
pub const DOCS_URL: &str = "https://github.com/reportlint/reportlint/blob/main/docs/rules.md";

/// The link to one rule's documentation.
pub fn url(code: &str) -> String {
    format!("{DOCS_URL}#{}", code.to_ascii_lowercase())
}

/// `docs/rules.md`: every rule's documentation in Chinese and English.
pub fn rules_page() -> String {
    let mut out = String::from(
        "# reportlint 规则 · Rules\n\n<!-- Generated from the rule registry: run `UPDATE_DOCS=1 cargo test --test tidy` after changing a rule. -->\n\n",
    );
    for r in super::ALL {
        let m = r.meta;
        let code = m.code.to_ascii_lowercase();
        out.push_str(&format!(
            "<a id=\"{code}\"></a>\n\n## {} `{}`\n\n{}\n\n{}\n\n- 严重程度 · Severity: {}\n- 修复 · Fix: {}\n\n### 为什么重要 · Why it matters\n\n{}\n\n{}\n\n### 示例 · Example\n\n```text\n{}\n```\n\n### 修复 · Fix safety\n\n{}\n\n{}\n\n",
            m.code,
            m.name,
            escape(m.summary.zh),
            escape(m.summary.en),
            m.severity.as_str(),
            m.fix.as_str(),
            m.why.zh,
            m.why.en,
            m.example,
            m.fix_note.zh,
            m.fix_note.en,
        ));
    }
    out
}

/// Text safe in Markdown: `<机关名称>` would be read as an HTML tag.
fn escape(s: &str) -> String {
    s.replace('<', "&lt;").replace('>', "&gt;")
}
