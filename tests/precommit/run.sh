#!/usr/bin/env bash
# End-to-end test of the pre-commit hook: pre-commit (from PyPI) runs reportlint through
# `try-repo` on a temporary repository with one bad and one good report; the bad report must
# block the commit, and the commit must pass once it is fixed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
pre_commit="$work/venv/bin/pre-commit"
export PRE_COMMIT_HOME="${PRE_COMMIT_HOME:-$work/cache}"

repo="$work/reports"
mkdir -p "$repo"
cd "$repo"
git init --quiet
git config user.email ci@example.invalid
git config user.name CI
cp "$root/tests/fixtures/rules/S001_title-missing/pass.txt" good.txt
cp "$root/tests/fixtures/seeds/000_27b6cab774d2b1c9.txt" bad.txt
git add good.txt bad.txt

fail() { echo "pre-commit test: $*" >&2; exit 1; }

# try-repo runs the hook on the staged files, as a commit would.
if "$pre_commit" try-repo "$root" reportlint >"$work/blocked.log" 2>&1; then
    cat "$work/blocked.log"
    fail "the bad report did not block the commit"
fi
grep -q "P003" "$work/blocked.log" || { cat "$work/blocked.log"; fail "the output does not name the finding"; }

# Fix the wrong percentage; now the hook passes.
sed -i 's/占9\.8%/占8.8%/' bad.txt
git add bad.txt
"$pre_commit" try-repo "$root" reportlint >"$work/passed.log" 2>&1 || { cat "$work/passed.log"; fail "the fixed report is still blocked"; }

# And a real commit through an installed hook, when the reportlint checkout has a commit to pin.
if rev="$(git -C "$root" rev-parse HEAD 2>/dev/null)" && [ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ]; then
    cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $root
    rev: $rev
    hooks:
      - id: reportlint
YAML
    git add .pre-commit-config.yaml
    "$pre_commit" install --install-hooks >/dev/null
    git commit --quiet -m "good reports" || fail "a clean commit was blocked"
    sed -i 's/占8\.8%/占9.8%/' bad.txt
    git add bad.txt
    if git commit --quiet -m "bad report" >"$work/commit.log" 2>&1; then
        fail "git commit let the bad report through"
    fi
    echo "pre-commit test: try-repo and git commit both behave"
else
    echo "pre-commit test: try-repo behaves (git commit skipped: the reportlint checkout has uncommitted changes)"
fi
