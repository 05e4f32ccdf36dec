#!/usr/bin/env bash
# Builds, checks and packages the VS Code extension from a clean checkout.
# Needs Node >= 20 and npm, and the npm registry; nothing else.
# Usage: bash editors/vscode/ci.sh   (from anywhere)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "ci.sh: node and npm are required (Node >= 20)" >&2
  exit 1
fi
echo "ci.sh: node $(node --version), npm $(npm --version 2>/dev/null)"

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

rm -rf dist out ./*.vsix

echo "::: npm ci"
npm ci --no-audit --no-fund

echo "::: lint"
npm run --silent lint

echo "::: typecheck (tsc --strict)"
npm run --silent typecheck

echo "::: unit tests"
npm test

echo "::: package"
npm run package

version="$(node -p "require('./package.json').version")"
vsix="reportlint-${version}.vsix"
if [[ ! -s "$vsix" ]]; then
  echo "ci.sh: $vsix was not produced" >&2
  exit 1
fi
# vsce ls prints what went into the package; the bundle must be there.
if ! npx --no-install vsce ls --no-dependencies 2>/dev/null | grep -qx 'dist/extension.js'; then
  echo "ci.sh: dist/extension.js is missing from the package" >&2
  exit 1
fi
echo "ci.sh: OK, built $(pwd)/$vsix ($(wc -c <"$vsix") bytes)"
