#!/usr/bin/env bash
# Quick performance smoke test for CI: builds the release binary and the corpus generator,
# writes a small corpus, checks it has no errors, drives the language server with a few edits
# and checks that the results are sane. It asserts behaviour (diagnostics arrive for the right
# versions, unchanged blocks are reused, a burst coalesces, memory is measured), never tight
# timings: CI machines are too noisy for that. BENCHMARKS.md has the real numbers.
#
# Usage: tools/bench-smoke.sh      (honours CARGO_TARGET_DIR)
#        tools/bench-smoke.sh --debug   (the debug build CI has already made: the same checks,
#                                       without a second, release build of every dependency)
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
profile=release
release_flag=(--release)
if [ "${1:-}" = "--debug" ]; then
    profile=debug
    release_flag=()
fi
bin="$target_dir/$profile/reportlint"
gen="$target_dir/$profile/examples/gencorpus"

echo "==> bench-smoke: build ($profile)"
cargo build "${release_flag[@]}" --quiet --bin reportlint --example gencorpus

start=$(date +%s.%N)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "==> bench-smoke: generate a small corpus"
"$gen" --out "$work/corpus" --seed 7 --per-shape 3 --compendium 10

echo "==> bench-smoke: the corpus checks clean"
# Exit 0 means no errors; any finding at all means the generator or the checker drifted.
out="$("$bin" check --format concise "$work/corpus")"
findings="$(printf '%s\n' "$out" | grep -c -E '(error|warning|info)\[' || true)"
if [ "$findings" -ne 0 ]; then
    printf '%s\n' "$out" | head -20
    echo "bench-smoke: the generated corpus has $findings findings (expected none)" >&2
    exit 1
fi

echo "==> bench-smoke: language server latency (few iterations)"
python3 tools/lsp-latency.py --server "$bin" --corpus "$work/corpus" \
    --iterations 10 --burst 40 --docs 12 --json "$work/latency.json"

echo "==> bench-smoke: sanity checks"
python3 - "$work/latency.json" <<'EOF'
import json
import sys

r = json.load(open(sys.argv[1]))
problems = []

def need(ok, what):
    if not ok:
        problems.append(what)

for t in r["typing"] + [r["large"]]:
    name = t["doc"]
    need(t["n"] > 0, f"{name}: no edits measured")
    need(t["max_diagnostics"] == 0, f"{name}: the clean report got diagnostics")
    # A generous bound: only a hang or a full re-analysis loop gets near it.
    need(t["median_ms"] < 2000, f"{name}: median {t['median_ms']} ms")
    if "_web_" not in name:
        need(t["reuse_rate"] > 0.5, f"{name}: reuse rate {t['reuse_rate']} (blocks not reused)")
big = r["large"]
# The server edits texts of 256 KiB and more in place instead of copying them each keystroke.
need(big["bytes"] < 256 * 1024 or big["text_edited_rate"] > 0.5,
     f"large: text edited in place in {big['text_edited_rate']} of the edits")
b = r["burst"]
need(b["published_versions"][-1] == b["keystrokes"] + 1, "burst: last version not published")
need(b["monotonic"], f"burst: versions out of order {b['published_versions']}")
need(b["publishes"] < b["keystrokes"], f"burst: {b['publishes']} publishes, no coalescing")
need(b["stale_after_last"] == 0, f"burst: {b['stale_after_last']} stale publishes after the last")
m = r["memory"]
need(0 < m["rss_initialized_mb"] <= m["rss_open_mb"], f"memory: odd RSS {m}")
need(m["rss_open_mb"] < 500, f"memory: {m['rss_open_mb']} MB with {m['docs']} reports open")
need(r["exit_code"] == 0, f"server exit code {r['exit_code']} after shutdown and exit")

if problems:
    print("bench-smoke: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
    sys.exit(1)
print("bench-smoke: results are sane")
EOF

end=$(date +%s.%N)
printf '==> bench-smoke: ok (%.1f s after the build)\n' "$(echo "$end - $start" | bc)"
