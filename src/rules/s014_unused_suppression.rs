//! S014: an inline suppression suppresses nothing, or names no rule.
//!
//! The work is done in `crate::suppress`, after every other rule has run.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lang::Text;

use super::{Ctx, FixSafety, RuleMeta};

pub(crate) const META: RuleMeta = RuleMeta {
    code: "S014",
    name: "unused-suppression",
    severity: Severity::Hint,
    fix: FixSafety::Safe,
    summary: Text::new(
        "抑制注释没有抑制任何问题，或写了不存在的规则",
        "A suppression comment suppresses nothing, or names no rule",
    ),
    why: Text::new(
        "问题改正后留下的抑制注释会在以后掩盖新的同类问题；写错的规则代码则什么也抑制不了。",
        "A suppression left after the problem was fixed will hide the next one of its kind; a mistyped code suppresses nothing.",
    ),
    example: "<!-- reportlint-disable-next-line P003 -->\n（下一行没有百分比问题）",
    fix_note: Text::new("删除该注释（安全）。", "Removes the comment (safe)."),
};

pub(crate) fn check(_: &Ctx, _: &mut Vec<Diagnostic>) {}
