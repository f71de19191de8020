#!/usr/bin/env bash
# `npm test`: every check the project has, in order of speed — lint, types, content, unit and
# data-layer tests (SQLite and PostgreSQL), then the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

need_package() { # $1 = what is missing, $2 = Debian package
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $2 ($1 is missing)…"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    return 1
  fi
}

if [ ! -x "${CHROMIUM_PATH:-/usr/lib/chromium/chromium}" ]; then
  need_package "Chromium" chromium || {
    echo "The browser tests need Debian's Chromium: run 'sudo apt-get install -y chromium' and then 'npm test' again." >&2
    exit 1
  }
fi
# bubblewrap is optional: without it the Lambda escape suite skips and says why (and local-mode
# Lambda code runs unconfined).
if ! command -v bwrap >/dev/null 2>&1; then
  need_package "bubblewrap" bubblewrap || echo "bubblewrap is not installed and cannot be installed here: the Lambda escape suite will be skipped."
fi
# PostgreSQL is optional: without it the PostgreSQL data-layer tests skip and say why.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_package "PostgreSQL" postgresql || echo "PostgreSQL is not installed and cannot be installed here: its data-layer tests will be skipped."
fi

echo "== lint"; npx eslint --max-warnings 0 .
echo "== types"; npx tsc --noEmit
echo "== content"; npx tsx scripts/validate-content.ts
echo "== unit and data-layer tests"; npx vitest run
echo "== browser tests"; npx playwright test
