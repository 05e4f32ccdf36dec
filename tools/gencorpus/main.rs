//! `gencorpus`: writes a deterministic corpus of report drafts for benchmarks.
//!
//! ```text
//! cargo run --release --example gencorpus -- [--out DIR] [--seed N] [--per-shape N]
//!     [--size BYTES] [--compendium N] [--print md|tsv|word|web]
//! ```
//!
//! Writes `DIR/normal/<shape>/NNN_<shape>_<year>.{md,txt}` (`--per-shape` reports of about
//! `--size` bytes in each of the four shapes) and `DIR/compendium.txt` (`--compendium` reports
//! of different agencies and years, the shapes taking turns, in one file). `--print` writes one
//! report of that shape to standard output instead. The same seed gives the same bytes.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

use corpus::Shape;

struct Args {
    out: PathBuf,
    seed: u64,
    per_shape: usize,
    size: usize,
    compendium: usize,
    print: Option<Shape>,
}

const USAGE: &str = "usage: gencorpus [--out DIR] [--seed N] [--per-shape N] [--size BYTES] [--compendium N] [--print md|tsv|word|web]";

fn parse() -> Result<Args, String> {
    let mut a = Args {
        out: PathBuf::from("corpus"),
        seed: 1,
        per_shape: 25,
        size: corpus::NORMAL_SIZE,
        compendium: 100,
        print: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.into());
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| format!("{flag}: not a number: {value}"))
        };
        match flag.as_str() {
            "--out" => a.out = PathBuf::from(&value),
            "--seed" => a.seed = number()?,
            "--per-shape" => a.per_shape = number()? as usize,
            "--size" => a.size = number()? as usize,
            "--compendium" => a.compendium = number()? as usize,
            "--print" => {
                a.print = Some(Shape::parse(&value).ok_or_else(|| format!("no shape {value}"))?)
            }
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(a) => a,
        Err(m) => {
            eprintln!("{m}");
            return ExitCode::from(2);
        }
    };
    if let Some(shape) = args.print {
        print!("{}", corpus::report(args.seed, 0, shape, args.size));
        return ExitCode::SUCCESS;
    }
    match write_corpus(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gencorpus: {e}");
            ExitCode::FAILURE
        }
    }
}

fn write_corpus(args: &Args) -> std::io::Result<()> {
    let mut files = 0;
    let mut bytes = 0;
    for (k, shape) in Shape::ALL.into_iter().enumerate() {
        let dir = args.out.join("normal").join(shape.name());
        std::fs::create_dir_all(&dir)?;
        for i in 0..args.per_shape {
            let index = (k * args.per_shape + i) as u64;
            let year = corpus::report_year(args.seed, index);
            let text = corpus::report(args.seed, index, shape, args.size);
            let name = format!("{i:03}_{}_{year}.{}", shape.name(), shape.extension());
            std::fs::write(dir.join(name), &text)?;
            files += 1;
            bytes += text.len();
        }
    }
    if args.compendium > 0 {
        let text = corpus::compendium(args.seed, args.compendium, args.size, None);
        std::fs::write(args.out.join("compendium.txt"), &text)?;
        files += 1;
        bytes += text.len();
    }
    println!(
        "gencorpus: wrote {files} files, {bytes} bytes, to {}",
        args.out.display()
    );
    Ok(())
}
