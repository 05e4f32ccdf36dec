//! `profile`: runs one stage of the analysis over a file in a loop, for a profiler to watch.
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=callgrind target/release/examples/profile FILE analyze 5
//! perf record --call-graph dwarf target/release/examples/profile FILE keystroke 2000
//! ```
//!
//! Stages: `split` (blocks), `parse` (blocks and the report model), `analyze` (everything
//! `reportlint check` does for a file), `keystroke` (what the language server does after one
//! typed character: incremental re-parse, analysis and line index), `server` (the same with the
//! server's report-level reuse, as `reportlint server` runs it). Prints the mean time a run.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "gencorpus/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use reportlint::document::incremental::{reparse, Edit};
use reportlint::document::lines::split_blocks;
use reportlint::document::{self, BuildOptions, Flavour};
use reportlint::line_index::LineIndex;
use reportlint::{analyze, analyze_blocks, Options};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(stage)) = (args.first(), args.get(1)) else {
        eprintln!("usage: profile FILE split|parse|analyze|keystroke|server [ITERATIONS]");
        return ExitCode::from(2);
    };
    let iterations: u32 = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let flavour = Flavour::from_path(path);
    let opts = Options {
        flavour,
        default_year: Some(2024),
        ..Options::default()
    };
    let build = BuildOptions {
        profile: None,
        flavour,
    };
    let at = corpus::edit_point(&text, 0.5);
    let typed = format!("{}字{}", &text[..at], &text[at..]);
    let old_blocks = split_blocks(&text);
    let edit = Edit::new(at, at, "字".len());
    // The first run pays for one-time set-up (the built-in profiles and their regexes).
    let t0 = Instant::now();
    black_box(reportlint::profile::builtins());
    let setup = t0.elapsed();
    // For `server`: the language server's state after analysing the text before the edit.
    let mut incremental = reportlint::Incremental::default();
    let old_index = LineIndex::new(&text);
    if stage == "server" {
        let document = incremental.build(&text, &old_blocks, &opts);
        incremental.check(&text, &document, &opts);
    }
    let start = Instant::now();
    let cpu_start = cpu_time_ns();
    for _ in 0..iterations {
        match stage.as_str() {
            "split" => drop(black_box(split_blocks(black_box(&text)))),
            "parse" => {
                let blocks = split_blocks(black_box(&text));
                drop(black_box(document::build(&text, &blocks, &build)));
            }
            "analyze" => drop(black_box(analyze(black_box(&text), &opts))),
            "keystroke" => {
                let (blocks, _) = reparse(&old_blocks, black_box(&typed), edit);
                let a = analyze_blocks(&typed, &blocks, &opts);
                let index = LineIndex::new(&typed);
                drop(black_box((a, index)));
            }
            "server" => {
                // The server edits its copy of a large text in place (microseconds), so the
                // text is taken as it is here.
                let (blocks, _) = reparse(&old_blocks, black_box(&typed), edit);
                let document = incremental.build(&typed, &blocks, &opts);
                let diagnostics = incremental.check(&typed, &document, &opts);
                let index = old_index.edited(&typed, edit.start, edit.old_end, edit.new_end);
                drop(black_box((document, diagnostics, index)));
            }
            other => {
                eprintln!("no stage {other}");
                return ExitCode::from(2);
            }
        }
    }
    let each = start.elapsed() / iterations.max(1);
    println!("set-up (built-in profiles): {setup:?}");
    println!(
        "{stage}: {each:?} a run over {} bytes ({:.1} MB/s wall)",
        text.len(),
        text.len() as f64 / each.as_secs_f64() / 1e6
    );
    // CPU time is steadier than wall time on a shared machine: it leaves out time waiting for a core.
    if let (Some(a), Some(b)) = (cpu_start, cpu_time_ns()) {
        let cpu = (b - a) as f64 / 1e9 / f64::from(iterations.max(1));
        println!(
            "{stage}: {:.3} ms CPU a run ({:.1} MB/s per core)",
            cpu * 1e3,
            text.len() as f64 / cpu / 1e6
        );
    }
    ExitCode::SUCCESS
}

/// This thread's CPU time in nanoseconds, from `/proc/thread-self/schedstat` (Linux only).
fn cpu_time_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}
