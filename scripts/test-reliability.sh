#!/usr/bin/env bash
# The reliability suite: every `*.reliability.test.ts` of every package (hostile users, careless
# operators, malformed entities, hostile files, crashes), then a table of what was tried and how
# it failed: safely (a clear error, `unknown`, a refusal) or unsafely (a leak, a hang, a crash, a
# wrong verdict). Any unsafe outcome fails the suite.
set -euo pipefail
cd "$(dirname "$0")/.."

mkdir -p test-results
report=test-results/reliability.jsonl
: >"$report"
export PAVED_RELIABILITY_REPORT="$PWD/$report"
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}
export CI=${CI:-true}

node_modules/.bin/backstage-cli repo test --testPathPatterns '\.reliability\.test\.' "$@"
node scripts/reliability-table.js "$report"
