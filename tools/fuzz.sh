#!/usr/bin/env bash
# Runs every fuzz target of reportlint for about SECONDS each (default 60) and prints what it found.
#
#   tools/fuzz.sh            # 60 s per target, 6 targets: about 7 minutes with the build
#   tools/fuzz.sh 30         # a short pass for CI
#   REPORTLINT_FUZZ_SEED=123 tools/fuzz.sh 30   # replay a seed
#
# Failures (shrunk and minimised inputs) and each target's log go to $REPORTLINT_FUZZ_OUT
# (default target/fuzz-out/<date>). Exit status: 0 when nothing was found, 1 when a target
# found something, 2 when the build failed. FUZZING.md explains the targets and how to turn a
# failure into a regression test.
set -u

cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
'' | *[!0-9]*)
    echo "usage: tools/fuzz.sh [SECONDS PER TARGET]" >&2
    exit 2
    ;;
esac

out="${REPORTLINT_FUZZ_OUT:-target/fuzz-out/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

export REPORTLINT_FUZZ_SECONDS="$seconds"
export REPORTLINT_FUZZ_KEEP_GOING=1
export REPORTLINT_FUZZ_OUT="$out"
# Small batches, so that the time budget is checked often.
export REPORTLINT_FUZZ_CASES="${REPORTLINT_FUZZ_CASES:-32}"
export RUST_BACKTRACE=0

# test binary, test name
targets=(
    "fuzz fuzz_parse_check"
    "fuzz fuzz_fix_apply"
    "fuzz fuzz_fix_safety"
    "properties reparse_matches_a_full_parse"
    "properties server_text_matches_the_client"
    "properties fuzz_lsp_hostile_edits"
)

echo "reportlint fuzz: ${seconds}s per target, output in $out"
if ! cargo test --quiet --test fuzz --test properties --no-run 2>"$out/build.log"; then
    echo "build failed:" >&2
    tail -n 30 "$out/build.log" >&2
    exit 2
fi

found=0
summary=()
for t in "${targets[@]}"; do
    set -- $t
    binary="$1"
    name="$2"
    log="$out/$name.log"
    started=$(date +%s)
    # A hard stop well past the budget: the harness' own watchdog reports a hung case first.
    timeout --kill-after=10 "$((seconds * 3 + 600))" \
        cargo test --quiet --test "$binary" -- --exact "$name" --nocapture --test-threads 1 \
        >"$log" 2>&1
    status=$?
    took=$(($(date +%s) - started))
    case "$status" in
    0) verdict="ok" ;;
    124 | 137) verdict="TIMED OUT" found=1 ;;
    *) verdict="FOUND SOMETHING" found=1 ;;
    esac
    summary+=("$(printf '%-36s %-16s %5ss' "$name" "$verdict" "$took")")
    # The harness writes one line per result: "fuzz <target>: ok, …" or "fuzz <target>: <failure>".
    grep -E '^fuzz [a-z_]+: ' "$log" | grep -v ' kind(s) of failure' | sort -u | sed 's/^/    /' | cut -c1-300
    if [ "$status" -ne 0 ] && ! grep -qE '^fuzz [a-z_]+: ' "$log"; then
        tail -n 20 "$log" | sed 's/^/    /'
    fi
done

echo
echo "summary (${seconds}s per target):"
for line in "${summary[@]}"; do
    echo "  $line"
done
inputs=$(find "$out" -maxdepth 1 -type f ! -name '*.log' | sort)
if [ -n "$inputs" ]; then
    echo
    echo "inputs that failed (copy one to tests/fixtures/regressions/ to keep it as a test):"
    echo "$inputs" | sed 's/^/  /'
fi
exit "$found"
