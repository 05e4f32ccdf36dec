//! The rules: one file each, one stable code each.
//!
//! A rule is a function over one report that pushes diagnostics. It reads the profile for
//! every label and sum it checks; nothing about the format is written into a rule.

pub mod docs;
pub mod explain;
mod ledger;
mod prose;
mod year;

mod l001_row_total_mismatch;
mod l002_column_total_mismatch;
mod l003_balance_mismatch;
mod l004_case_total_mismatch;
mod l005_negative_project_count;
mod l006_carryover_mismatch;
mod l007_in_force_mismatch;
mod p001_application_count_mismatch;
mod p002_outcome_count_mismatch;
mod p003_percentage_mismatch;
mod p004_breakdown_sum_mismatch;
mod p005_case_count_mismatch;
mod p006_no_applications_contradiction;
mod p008_fee_statement_contradiction;
mod p010_percentages_do_not_add_up;
mod s001_title_missing;
mod s002_title_year_missing;
mod s003_title_agency_unclear;
mod s004_section_missing;
mod s005_section_out_of_order;
mod s006_section_duplicated;
mod s007_section_title_noncanonical;
mod s008_section_number_mismatch;
mod s009_subitem_numbering;
mod s010_heading_level_inconsistent;
mod s011_overview_topic_missing;
mod s012_statistics_period;
mod s013_unknown_heading;
mod s014_unused_suppression;
mod s015_copied_from_last_year;
mod s016_late_publication;
mod s017_agency_name_inconsistent;
mod t001_table_missing;
mod t002_row_missing;
mod t003_row_duplicated;
mod t004_row_cell_count;
mod t005_cell_not_a_number;
mod t006_blank_cell;
mod t007_blank_hides_value;
mod t008_wrong_format_edition;
mod t009_label_noncanonical;
mod t010_row_unrecognized;

use std::cell::OnceCell;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Document, Flavour, Report};
use crate::lang::{Lang, Text};
use crate::profile::Profile;
use crate::text::TextRange;

/// What a rule's fix does to a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixSafety {
    None,
    Safe,
    Unsafe,
    /// Safe for some findings, unsafe for others.
    Mixed,
}

impl FixSafety {
    pub fn as_str(self) -> &'static str {
        match self {
            FixSafety::None => "none",
            FixSafety::Safe => "safe",
            FixSafety::Unsafe => "unsafe",
            FixSafety::Mixed => "safe or unsafe",
        }
    }
}

/// Everything known about a rule, for `reportlint rule` and the README.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    /// Kebab-case, naming the problem.
    pub name: &'static str,
    /// The severity of a definite finding; some rules report probable ones at a lower one.
    pub severity: Severity,
    pub fix: FixSafety,
    pub summary: Text,
    pub why: Text,
    /// A draft that the rule flags.
    pub example: &'static str,
    pub fix_note: Text,
}

pub(crate) type CheckFn = fn(&Ctx, &mut Vec<Diagnostic>);

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub(crate) check: CheckFn,
}

macro_rules! rules {
    ($($m:ident),* $(,)?) => {
        /// Every rule, in code order.
        pub static ALL: &[Rule] = &[$(Rule { meta: &$m::META, check: $m::check }),*];
    };
}

rules![
    s001_title_missing,
    s002_title_year_missing,
    s003_title_agency_unclear,
    s004_section_missing,
    s005_section_out_of_order,
    s006_section_duplicated,
    s007_section_title_noncanonical,
    s008_section_number_mismatch,
    s009_subitem_numbering,
    s010_heading_level_inconsistent,
    s011_overview_topic_missing,
    s012_statistics_period,
    s013_unknown_heading,
    s014_unused_suppression,
    s015_copied_from_last_year,
    s016_late_publication,
    s017_agency_name_inconsistent,
    t001_table_missing,
    t002_row_missing,
    t003_row_duplicated,
    t004_row_cell_count,
    t005_cell_not_a_number,
    t006_blank_cell,
    t007_blank_hides_value,
    t008_wrong_format_edition,
    t009_label_noncanonical,
    t010_row_unrecognized,
    l001_row_total_mismatch,
    l002_column_total_mismatch,
    l003_balance_mismatch,
    l004_case_total_mismatch,
    l005_negative_project_count,
    l006_carryover_mismatch,
    l007_in_force_mismatch,
    p001_application_count_mismatch,
    p002_outcome_count_mismatch,
    p003_percentage_mismatch,
    p004_breakdown_sum_mismatch,
    p005_case_count_mismatch,
    p006_no_applications_contradiction,
    p008_fee_statement_contradiction,
    p010_percentages_do_not_add_up,
];

pub(crate) use s015_copied_from_last_year::index as paragraph_index;

/// The code of the rule for suppressions that suppress nothing.
pub const UNUSED_SUPPRESSION: &str = s014_unused_suppression::META.code;

/// Looks a rule up by code (`L001`) or name (`row-total-mismatch`), ignoring case.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| {
        r.meta.code.eq_ignore_ascii_case(code_or_name)
            || r.meta.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// What a rule sees: one report of a document. Positions count from the report's start, and
/// `text` is the report's text; [`check`] moves the findings into place.
pub struct Ctx<'a> {
    pub text: &'a str,
    /// The report's place among the document's reports.
    pub index: usize,
    pub report: &'a Report,
    pub profile: &'a Profile,
    pub lang: Lang,
    pub flavour: Flavour,
    /// The year for skeletons when the report states none.
    pub default_year: Option<u16>,
    /// Extra tolerance for percentages, in percentage points.
    pub percent_tolerance: Option<crate::document::Decimal>,
    /// Last year's report of the same body, when one was given or found.
    pub previous: Option<(&'a crate::Previous, &'a crate::document::ReportAt)>,
    /// The kind of body, when the caller knows it.
    pub body: Option<crate::document::agency::Body>,
    /// The publication deadline (month, day) in the year after the report year.
    pub deadline: Option<(u8, u8)>,
    pub(crate) cache: Cache<'a>,
}

/// Work several rules share, done once per report.
#[derive(Default)]
pub(crate) struct Cache<'a> {
    pub ledger: OnceCell<Vec<ledger::Instance<'a>>>,
    pub claims: OnceCell<Vec<prose::ClaimMatch>>,
    /// Each paragraph's counts, read when a rule first asks.
    pub counts: OnceCell<Vec<OnceCell<Vec<prose::Count>>>>,
    pub breakdowns: OnceCell<Vec<prose::Breakdown>>,
}

impl<'a> Ctx<'a> {
    /// The context of the report `index` of `doc`, whose text is `text`.
    pub fn new(text: &'a str, doc: &'a Document, index: usize, lang: Lang) -> Ctx<'a> {
        let placed = &doc.reports[index];
        Ctx {
            text: placed.text(text),
            index,
            report: &placed.report,
            profile: &placed.report.profile,
            lang,
            flavour: doc.flavour,
            default_year: None,
            percent_tolerance: None,
            previous: None,
            body: None,
            deadline: None,
            cache: Cache::default(),
        }
    }

    /// The report's year, else the default year given by the caller.
    pub(crate) fn year(&self) -> Option<u16> {
        self.report.year.map(|y| y.value).or(self.default_year)
    }

    pub(crate) fn diag(&self, meta: &RuleMeta, range: TextRange, message: String) -> Diagnostic {
        Diagnostic::new(meta.code, meta.severity, range, message)
    }

    pub(crate) fn slice(&self, range: TextRange) -> &'a str {
        &self.text[range.as_range()]
    }

    /// `\r\n` when the text uses it, else `\n`.
    pub(crate) fn newline(&self) -> &'static str {
        if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    }

    /// A section's title with its numeral: `三、收到和处理政府信息公开申请情况`.
    pub(crate) fn section_heading(&self, spec: usize) -> String {
        format!(
            "{}、{}",
            crate::document::normalize::chinese_numeral(spec as u32 + 1),
            self.profile.sections[spec].title
        )
    }

    /// Quotes a text from the report: 「…」 in Chinese, “…” in English.
    pub(crate) fn q(&self, s: &str) -> String {
        match self.lang {
            Lang::Zh => format!("「{s}」"),
            Lang::En => format!("“{s}”"),
        }
    }
}

/// The report of the year before `report` by the same body among `previous`: paired by agency
/// and year; a report given explicitly needs only the year (or none, when it is the only one).
pub fn last_year<'a>(
    report: &Report,
    previous: &'a [std::sync::Arc<crate::Previous>],
) -> Option<(&'a crate::Previous, &'a crate::document::ReportAt)> {
    let year = report.year?.value;
    let candidates = || {
        previous
            .iter()
            .flat_map(|p| p.document.reports.iter().map(move |r| (&**p, r)))
    };
    let same_year = |r: &Report| r.year.is_some_and(|y| y.value + 1 == year);
    candidates()
        .find(|(_, r)| is_last_year(report, r))
        .or_else(|| {
            candidates().find(|(p, r)| {
                p.explicit && (same_year(r) || (r.year.is_none() && p.document.reports.len() == 1))
            })
        })
}

/// Whether `candidate` is the report of the year before `report` by the same body, as far as
/// their titles tell.
pub fn is_last_year(report: &Report, candidate: &Report) -> bool {
    fn agency(r: &Report) -> Option<&str> {
        r.title
            .as_ref()
            .and_then(|t| t.agency.as_ref())
            .map(|a| a.name.as_str())
    }
    let years = match (report.year, candidate.year) {
        (Some(a), Some(b)) => b.value + 1 == a.value,
        _ => false,
    };
    years
        && matches!((agency(report), agency(candidate)), (Some(a), Some(b)) if crate::document::agency::same_body(a, b))
}

/// Runs every rule over every report, in document positions, sorted.
pub fn check(text: &str, doc: &Document, opts: &crate::Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, placed) in doc.reports.iter().enumerate() {
        out.extend(
            check_report(text, doc, i, opts)
                .into_iter()
                .map(|d| d.shift(placed.offset)),
        );
    }
    sort(&mut out);
    out
}

/// Sorts findings by position, then code.
pub(crate) fn sort(out: &mut [Diagnostic]) {
    out.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
}

/// Runs every rule over the report `index`; positions count from its start.
pub fn check_report(
    text: &str,
    doc: &Document,
    index: usize,
    opts: &crate::Options,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    {
        let mut ctx = Ctx::new(text, doc, index, opts.lang);
        ctx.default_year = opts.default_year;
        ctx.percent_tolerance = opts.percent_tolerance;
        ctx.previous = last_year(ctx.report, &opts.previous);
        ctx.body = opts.body;
        ctx.deadline = opts.deadline;
        for rule in ALL {
            let level = opts
                .rules
                .iter()
                .find(|(c, _)| *c == rule.meta.code)
                .map(|(_, l)| *l);
            if level == Some(crate::config::Level::Off) {
                continue;
            }
            let from = out.len();
            (rule.check)(&ctx, &mut out);
            if let Some(crate::config::Level::On(severity)) = level {
                for d in &mut out[from..] {
                    d.severity = severity;
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod test_support;
