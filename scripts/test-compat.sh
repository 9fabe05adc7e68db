#!/usr/bin/env bash
# The compatibility job: runs the type check and the tests of the backend, the golden-path module,
# the frontend plugin and their libraries against an older supported Backstage release line
# (default 1.55): the same sources with that line's packages installed (docs/architecture.md,
# "Backstage release lines").
#
# A copy of this checkout (its files that git does not ignore, uncommitted changes included) in a
# work directory gets the line's versions from `release-lines/<line>.json` as its root
# `overrides` (`scripts/release-line.js apply`), and `npm install` from this checkout's lockfile
# (and, on a first run, a copy of its node_modules), so that every package the line does not pin
# keeps its locked version. Before any test,
# `scripts/release-line.js check` fails if an installed `@backstage/*` package is not the line's.
#
# Usage: npm run test:compat [-- <line>]
# PAVED_COMPAT_DIR=<dir> keeps the work directory and its node_modules for the next run; without
# it a temporary directory is used and removed on success.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LINE=${1:-1.55}
# The backend, the golden-path module, the frontend plugin and the two libraries under them, which
# use @backstage/* packages too (Jest reads each as a pattern, hence the trailing slash).
PACKAGES=(
  plugins/platform-maturity-common/
  plugins/platform-maturity-node/
  plugins/platform-maturity-backend/
  plugins/scaffolder-backend-module-golden-path/
  plugins/platform-maturity/
)

if [ -n "${PAVED_COMPAT_DIR:-}" ]; then
  WORK=$(mkdir -p "$PAVED_COMPAT_DIR" && cd "$PAVED_COMPAT_DIR" && pwd)
  keep=1
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/paved-compat-XXXXXX")
  keep=0
fi
COPY=$WORK/repo
mkdir -p "$COPY" "$ROOT/test-results"
echo "Compatibility job for Backstage $LINE in $COPY"

started=$(date +%s)
step() {
  echo "== $1 ($(($(date +%s) - started)) s)"
}

step copy
# What git ignores (node_modules, dist, ...) is neither copied nor deleted, so a kept work
# directory reuses its installed packages.
rsync -a --delete --exclude=.git --filter=':- .gitignore' "$ROOT/" "$COPY/"
# A first run starts from this checkout's installed packages, so that npm changes only the
# @backstage/* packages and what they bring instead of extracting every package again.
if [ ! -d "$COPY/node_modules" ]; then
  for modules in node_modules plugins/*/node_modules; do
    if [ -d "$modules" ]; then
      mkdir -p "$COPY/$(dirname "$modules")"
      cp -a "$modules" "$COPY/$modules"
    fi
  done
fi
node scripts/release-line.js apply "$LINE" "$COPY"

step install
(cd "$COPY" && npm install --no-audit --no-fund) >"$ROOT/test-results/compat-install.log" 2>&1 || {
  tail -n 40 "$ROOT/test-results/compat-install.log"
  echo "npm install of line $LINE failed; see test-results/compat-install.log" >&2
  exit 1
}
node scripts/release-line.js check "$LINE" "$COPY"

step tsc
(cd "$COPY" && npx tsc --incremental false)

step tests
(cd "$COPY" &&
  BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432} \
    CI=true npx backstage-cli repo test "${PACKAGES[@]}" \
    --testPathIgnorePatterns '\.reliability\.test\.')

step "passed on Backstage $LINE"
if [ "$keep" = 0 ]; then
  rm -rf "$WORK"
fi
