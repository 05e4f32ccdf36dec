#!/usr/bin/env bash
# End-to-end test of the Neovim client (editors/nvim) against a real `reportlint server`.
#
# Usage: bash editors/nvim/test/run.sh        (from any directory)
#   REPORTLINT_BIN       the reportlint binary (default: `reportlint` on PATH)
#   NVIM                 the nvim binary (default: `nvim` on PATH); Neovim 0.7 or later
#   REPORTLINT_TEST_APIS which client code paths to run, space-separated (default: native):
#                        native        whatever this Neovim has (feature detection, as for users)
#                        start         hide vim.lsp.config/enable: the 0.8-0.10 path (vim.lsp.start)
#                        start_client  hide vim.lsp.start too: the 0.7 path (start_client)
#                        The simulated paths only make sense on a Neovim newer than the path.
# Exits 0 only if every check passed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
seed_rel="tests/fixtures/seeds/000_27b6cab774d2b1c9.txt"
seed="$repo/$seed_rel"

die() {
  echo "run.sh: $*" >&2
  exit 1
}

bin="${REPORTLINT_BIN:-reportlint}"
if [[ "$bin" != */* ]]; then
  bin="$(command -v "$bin" || true)"
  [[ -n "$bin" ]] || die "reportlint not found on PATH; set REPORTLINT_BIN=/path/to/reportlint"
fi
[[ -x "$bin" ]] || die "REPORTLINT_BIN=$bin is not an executable file"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

nvim="${NVIM:-nvim}"
command -v "$nvim" >/dev/null || die "nvim not found ($nvim); set NVIM=/path/to/nvim"
command -v timeout >/dev/null || die "timeout (coreutils) is required"
[[ -f "$seed" ]] || die "fixture missing: $seed"

echo "run.sh: $("$nvim" --version | head -n 1), reportlint: $bin"

work="$(mktemp -d "${TMPDIR:-/tmp}/reportlint-nvim.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# What the CLI reports for the seed; the server must publish the same codes.
rc=0
timeout 60 "$bin" check --format json "$seed" >"$work/expected.json" 2>"$work/check.err" || rc=$?
if [[ $rc -gt 1 ]] || [[ ! -s "$work/expected.json" ]]; then
  cat "$work/check.err" >&2
  die "\`reportlint check --format json $seed_rel\` failed (exit $rc)"
fi

total_failed=0
for mode in ${REPORTLINT_TEST_APIS:-native}; do
  case "$mode" in
    native | start | start_client) ;;
    *) die "unknown REPORTLINT_TEST_APIS entry: $mode" ;;
  esac
  echo "::: client path: $mode"
  scratch="$work/$mode"
  mkdir -p "$scratch/files" "$scratch/xdg/config" "$scratch/xdg/data" "$scratch/xdg/state" "$scratch/xdg/cache"
  status=0
  # Isolated from the user's configuration, plugins and state; `timeout` so it cannot hang.
  REPORTLINT_BIN="$bin" \
    REPORTLINT_SEED="$seed" \
    REPORTLINT_EXPECTED="$work/expected.json" \
    REPORTLINT_WORKDIR="$scratch/files" \
    REPORTLINT_TEST_API="$mode" \
    REPORTLINT_E2E="$here/e2e.lua" \
    XDG_CONFIG_HOME="$scratch/xdg/config" \
    XDG_DATA_HOME="$scratch/xdg/data" \
    XDG_STATE_HOME="$scratch/xdg/state" \
    XDG_CACHE_HOME="$scratch/xdg/cache" \
    timeout 60 "$nvim" --headless -n -i NONE -u "$here/minimal_init.lua" \
    -c "lua dofile(os.getenv('REPORTLINT_E2E'))" -c "cquit 3" </dev/null || status=$?
  [[ $status -eq 0 ]] || echo >&2 # nvim's own last message may lack a newline
  if [[ $status -eq 124 ]]; then
    echo "FAIL $mode: nvim did not finish within 60 s (timed out)" >&2
  elif [[ $status -eq 3 ]]; then
    echo "FAIL $mode: test/e2e.lua did not run to its end (a Lua error while loading it?)" >&2
  elif [[ $status -ne 0 ]]; then
    echo "FAIL $mode: nvim exited with status $status" >&2
  fi
  if [[ $status -ne 0 ]]; then
    total_failed=$((total_failed + 1))
    log="$(find "$scratch/xdg" -name 'lsp.log' 2>/dev/null | head -n 1)"
    if [[ -n "$log" ]]; then
      echo "--- last lines of the Neovim LSP log ($log):" >&2
      tail -n 20 "$log" >&2
    fi
  fi
done

if [[ $total_failed -ne 0 ]]; then
  echo "run.sh: $total_failed client path(s) failed" >&2
  exit 1
fi
echo "run.sh: all client paths passed"
