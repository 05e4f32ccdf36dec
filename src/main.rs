use std::process::ExitCode;

fn main() -> ExitCode {
    reportlint::cli::run(std::env::args_os().skip(1).collect())
}
