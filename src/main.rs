use std::process::ExitCode;

// Why mimalloc, and how its memory is tuned for the server and for large checks: see
// `src/memory.rs`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    reportlint::cli::run(std::env::args_os().skip(1).collect())
}
