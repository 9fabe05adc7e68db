#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing (`.ci/run` and
# `npm run test:e2e` call this).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing: install Debian's chromium package (sudo apt-get install -y chromium)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
