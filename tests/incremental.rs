//! Re-analysing a document after an edit, reusing the reports it did not touch, gives exactly
//! what analysing the new text from scratch gives.

use proptest::prelude::*;
use reportlint::document::dump::dump;
use reportlint::document::incremental::{reparse, Edit};
use reportlint::document::lines::split_blocks;
use reportlint::document::Flavour;
use reportlint::{analyze, Incremental, Options};

fn compendium() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus/");
    std::fs::read_to_string(format!("{dir}compendium_mixed_shapes_2020_2022_2024.txt")).unwrap()
}

/// Analyses `text`, then each edited text in turn, incrementally; checks every step against
/// a fresh analysis. Returns how many reports the last step reused.
fn follow(text: &str, edits: &[(usize, usize, String)]) -> usize {
    let opts = Options {
        flavour: Flavour::Plain,
        default_year: Some(2024),
        ..Options::default()
    };
    let mut inc = Incremental::default();
    let mut text = text.to_string();
    let mut blocks = split_blocks(&text);
    let document = inc.build(&text, &blocks, &opts);
    inc.check(&text, &document, &opts);
    for (at, len, insert) in edits {
        let start = floor_boundary(&text, *at);
        let end = floor_boundary(&text, start + len);
        text.replace_range(start..end, insert);
        blocks = reparse(&blocks, &text, Edit::new(start, end, insert.len())).0;
        let document = inc.build(&text, &blocks, &opts);
        let diagnostics = inc.check(&text, &document, &opts);
        let fresh = analyze(&text, &opts);
        assert_eq!(dump(&text, &document), dump(&text, &fresh.document));
        assert_eq!(diagnostics, fresh.diagnostics);
    }
    inc.reused_reports()
}

/// The char boundary at or before `at` (`str::floor_char_boundary` is newer than our MSRV).
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn an_edit_inside_one_report_reuses_the_others() {
    let text = compendium();
    let reports = analyze(&text, &Options::default()).document.reports.len();
    assert_eq!(reports, 3);
    // A number in the middle report's table, then a character in its prose.
    let at = text.find("2022年").unwrap() + 2000;
    assert_eq!(follow(&text, &[(at, 0, "7".into())]), 2);
    assert_eq!(
        follow(&text, &[(at, 1, String::new()), (at + 10, 0, "。".into())]),
        2
    );
}

#[test]
fn edits_that_move_titles_and_suppressions() {
    let text = compendium();
    let second = text
        .match_indices("政府信息公开工作年度报告")
        .nth(1)
        .unwrap()
        .0;
    follow(
        &text,
        &[
            // Break the second title, then mend it.
            (second, 3, String::new()),
            (second, 0, "政府信".into()),
            // A suppression comment that reaches across reports.
            (0, 0, "<!-- reportlint-disable P003 -->\n".into()),
            (text.len() / 2, 0, "\n\n".into()),
        ],
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_edits_match_a_fresh_analysis(
        edits in prop::collection::vec(
            (0usize..40_000, 0usize..40, "[0-9a年报告。\\n\\t|（一）、二 ]{0,12}"),
            1..6,
        )
    ) {
        follow(&compendium(), &edits);
    }
}
