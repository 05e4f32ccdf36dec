//! Benchmarks of parsing and checking (filled in by the benchmark suite).

fn main() {
    divan::main();
}
