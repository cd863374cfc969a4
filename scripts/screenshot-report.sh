#!/usr/bin/env bash
# Takes a PNG of a report page (report.html, or a `tickpath compare --html` page) with headless
# Chromium, installing Debian's chromium on demand (it is large, so install-deps.sh leaves it out).
#   scripts/screenshot-report.sh reports/<run>/report.html docs/img/report.png [1400,2400]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT_HTML OUT_PNG [WIDTH,HEIGHT]" >&2
  exit 2
fi
page=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1400,2400}
[ -f "$page" ] || { echo "screenshot-report: no such page: $1" >&2; exit 1; }
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "screenshot-report: chromium is not installed (apt-get install chromium, as root)" >&2
    exit 1
  fi
  echo "screenshot-report: installing chromium"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi
mkdir -p "$(dirname "$out")"
# --no-sandbox: root has no user namespace sandbox; the page is our own file and fetches nothing.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$size" \
  --screenshot="$out" "file://$page" 2>/dev/null
echo "screenshot-report: $out"
