#!/usr/bin/env bash
# Regenerates the console examples of README.md and docs/*.md from a real run: every ```console
# block's commands run again (tests/docs/doc_examples.py) and their output replaces what the page
# showed, so a page's output is always one the current code printed. Review the diff and commit it.
#   scripts/regen-docs.sh                 every page
#   scripts/regen-docs.sh docs/reports.md one page
#   --build DIR                           the build folder with the tickpath binary (default build)
# The suite (meson test --suite docs) checks the same blocks without rewriting them.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
pages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    -*) echo "regen-docs.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) pages+=("$1"); shift ;;
  esac
done
ninja -C "$build" apps/tickpath/tickpath >/dev/null
exec python3 tests/docs/doc_examples.py --binary "$build/apps/tickpath/tickpath" --source . --regen "${pages[@]}"
