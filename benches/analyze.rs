//! Benchmarks of parsing and checking, over reports from the corpus generator
//! (`tools/gencorpus/corpus.rs`): a ~30 KB report in each of the four shapes, and a ~3 MB
//! compendium of 100 reports.
//!
//! - `split`: cutting the text into blocks and classifying their lines.
//! - `parse`: `split_blocks` then `document::build` (the report model).
//! - `analyze`: `reportlint::analyze`, parse and every rule (what `reportlint check` does per file).
//! - `reparse`: `document::incremental::reparse` after typing one character in a paragraph.
//! - `keystroke`: what the language server does for one typed character: the rope's text, the
//!   incremental re-parse, `analyze_blocks` and the line index (not the JSON or the pipe).
//! - `keystroke_reusing_reports`: the same with the language server's report-level reuse
//!   (`reportlint::Incremental`): only the report the edit touched is rebuilt and re-checked,
//!   the text is edited in place rather than copied out of the rope, and the line index is
//!   updated in place. This is what the server does per keystroke.
//! - `rope_to_string`, `line_index`: the parts of `keystroke` that stay proportional to the
//!   document however many blocks are reused.
//!
//! Throughput is the document's size over the time, so for `reparse` and `keystroke` it is the
//! effective rate, not bytes actually read. Run with `cargo bench --bench analyze`; narrow with a
//! filter, e.g. `cargo bench --bench analyze -- keystroke`.

use std::sync::LazyLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use reportlint::document::incremental::{reparse, Edit};
use reportlint::document::lines::{split_blocks, Block};
use reportlint::document::{self, BuildOptions, Flavour};
use reportlint::line_index::LineIndex;
use reportlint::{analyze, analyze_blocks, Options};
use ropey::Rope;

#[path = "../tools/gencorpus/corpus.rs"]
mod corpus;

use corpus::Shape;

fn main() {
    divan::main();
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Input {
    Md,
    Tsv,
    Word,
    Web,
    Compendium,
}

const INPUTS: [Input; 5] = [
    Input::Md,
    Input::Tsv,
    Input::Word,
    Input::Web,
    Input::Compendium,
];

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Input::Md => "md_30k",
            Input::Tsv => "tsv_30k",
            Input::Word => "word_30k",
            Input::Web => "web_30k",
            Input::Compendium => "compendium_3m",
        })
    }
}

const SEED: u64 = 1;

/// The texts, generated once (deterministic: the same bytes every run).
static TEXTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    // The same report (agency, year, numbers) in each shape.
    let one = |shape| corpus::report(SEED, 0, shape, 30_000);
    vec![
        one(Shape::Markdown),
        one(Shape::Tsv),
        one(Shape::Word),
        one(Shape::Web),
        corpus::compendium(SEED, 100, 30_000, None),
    ]
});

fn text(input: Input) -> &'static str {
    let i = INPUTS.iter().position(|x| *x == input).unwrap_or(0);
    &TEXTS[i]
}

fn flavour(input: Input) -> Flavour {
    match input {
        Input::Md => Flavour::Markdown,
        _ => Flavour::Plain,
    }
}

fn options(input: Input) -> Options {
    Options {
        flavour: flavour(input),
        default_year: Some(2024),
        ..Options::default()
    }
}

/// The text after typing one character in the middle of a paragraph, and the edit.
struct Typed {
    old_blocks: Vec<Block>,
    new_text: String,
    edit: Edit,
}

fn typed(input: Input) -> Typed {
    let t = text(input);
    let at = corpus::edit_point(t, 0.5);
    let ch = "字";
    let new_text = format!("{}{ch}{}", &t[..at], &t[at..]);
    Typed {
        old_blocks: split_blocks(t),
        new_text,
        edit: Edit::new(at, at, ch.len()),
    }
}

#[divan::bench(args = INPUTS)]
fn split(bencher: Bencher, input: Input) {
    let t = text(input);
    bencher
        .counter(BytesCount::of_str(t))
        .bench(|| split_blocks(black_box(t)));
}

#[divan::bench(args = INPUTS)]
fn parse(bencher: Bencher, input: Input) {
    let t = text(input);
    let opts = BuildOptions {
        profile: None,
        flavour: flavour(input),
    };
    bencher.counter(BytesCount::of_str(t)).bench(|| {
        let blocks = split_blocks(black_box(t));
        document::build(t, &blocks, &opts)
    });
}

#[divan::bench(args = INPUTS)]
fn analyze_full(bencher: Bencher, input: Input) {
    let t = text(input);
    let opts = options(input);
    bencher
        .counter(BytesCount::of_str(t))
        .bench(|| analyze(black_box(t), &opts));
}

#[divan::bench(args = INPUTS)]
fn reparse_one_char(bencher: Bencher, input: Input) {
    let typed = typed(input);
    bencher
        .counter(BytesCount::of_str(&typed.new_text))
        .bench(|| reparse(black_box(&typed.old_blocks), &typed.new_text, typed.edit));
}

#[divan::bench(args = INPUTS)]
fn keystroke(bencher: Bencher, input: Input) {
    let typed = typed(input);
    let rope = Rope::from_str(&typed.new_text);
    let opts = options(input);
    bencher
        .counter(BytesCount::of_str(&typed.new_text))
        .bench(|| {
            let text = black_box(&rope).to_string();
            let (blocks, _) = reparse(&typed.old_blocks, &text, typed.edit);
            let analysis = analyze_blocks(&text, &blocks, &opts);
            let index = LineIndex::new(&text);
            (analysis, index, blocks)
        });
}

#[divan::bench(args = INPUTS)]
fn keystroke_reusing_reports(bencher: Bencher, input: Input) {
    let typed = typed(input);
    let opts = options(input);
    let old_text = text(input);
    let mut incremental = reportlint::Incremental::default();
    let old_document = incremental.build(old_text, &typed.old_blocks, &opts);
    incremental.check(old_text, &old_document, &opts);
    let old_index = LineIndex::new(old_text);
    let edit = typed.edit;
    let inserted = &typed.new_text[edit.start..edit.new_end];
    bencher
        .counter(BytesCount::of_str(&typed.new_text))
        .with_inputs(|| old_text.to_string())
        .bench_local_values(|mut text| {
            // The server edits its own copy of the text in place (a large one; a small one is
            // copied from the rope, which costs microseconds).
            text.replace_range(edit.start..edit.old_end, black_box(inserted));
            // Each run's re-parsed blocks are new, so the edited report is rebuilt every time.
            let (blocks, _) = reparse(&typed.old_blocks, &text, edit);
            let document = incremental.build(&text, &blocks, &opts);
            let diagnostics = incremental.check(&text, &document, &opts);
            let index = old_index.edited(&text, edit.start, edit.old_end, edit.new_end);
            (document, diagnostics, index, blocks, text)
        });
}

/// The per-keystroke costs that stay proportional to the document however much is reused:
/// copying the rope into a `String`, and indexing its lines.
#[divan::bench(args = INPUTS)]
fn rope_to_string(bencher: Bencher, input: Input) {
    let rope = Rope::from_str(text(input));
    bencher
        .counter(BytesCount::of_str(text(input)))
        .bench(|| black_box(&rope).to_string());
}

#[divan::bench(args = INPUTS)]
fn line_index(bencher: Bencher, input: Input) {
    let t = text(input);
    bencher
        .counter(BytesCount::of_str(t))
        .bench(|| LineIndex::new(black_box(t)));
}

/// A paragraph of `n` figures with shares and no full stop, as pasted from a spreadsheet: the
/// prose checks must cost in proportion to `n` (they once cost its square: 32,000 figures took
/// 6 s). Compare the rates across `n`; they should stay about the same.
#[divan::bench(args = [1_000, 4_000, 16_000])]
fn figures_in_one_paragraph(bencher: Bencher, n: usize) {
    let text = format!(
        "某县2021年政府信息公开工作年度报告\n\n一、总体情况\n\n共收到申请10件，{}其中1件，{}\n",
        "予以公开1件，占10.0%，".repeat(n),
        "其中1件，".repeat(n)
    );
    let opts = Options {
        default_year: Some(2021),
        ..Options::default()
    };
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| black_box(analyze(black_box(&text), &opts)));
}
