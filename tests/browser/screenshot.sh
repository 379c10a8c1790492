#!/usr/bin/env bash
# screenshot.sh HTML PNG [WIDTHxHEIGHT]: renders a report page in headless
# Chromium (same safe flags as the browser test) and writes a PNG, e.g.
#   vendormatch report acme-cx -o /tmp/r.html
#   tests/browser/screenshot.sh /tmp/r.html docs/report-demo.png 1280x1800
set -euo pipefail
html=$(realpath "$1") png=$2 size=${3:-1280x1800}
chromium=$(command -v chromium || command -v chromium-browser) || {
  echo "screenshot.sh: chromium is not installed (apt-get install chromium)" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --disable-quic \
  --disable-default-apps --disable-extensions --hide-scrollbars --user-data-dir="$profile" \
  --window-size="${size/x/,}" --screenshot="$(realpath -m "$png")" "file://$html" 2>/dev/null
[ -s "$png" ] || { echo "screenshot.sh: no screenshot written" >&2; exit 1; }
