#!/usr/bin/env bash
# Regenerates the hot path's cycle budget: instructions per event of every step under
# `valgrind --tool=callgrind` (tickpath_budget_driver), ns per event from one tickpath_bench run
# (Budget/...), written to bench/cycle_budget.json (what the cycle_budget test checks against)
# and to the table of docs/performance.md.
#
#   scripts/cycle-budget.sh [--build DIR] [--events N] [--check]
#
# --check only counts instructions and compares them with the recorded budget (what the test
# does). Record from the plain build (buildtype release, no sanitizer, no -march=native): the
# test compares only against the compiler and build the budget was recorded from.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build events=4096 mode=record
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --check) mode=check; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--build DIR] [--events N] [--check]" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null || { echo "cycle-budget: valgrind missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
[ -f "$build/build.ninja" ] || { echo "cycle-budget: no build in $build (meson setup $build)" >&2; exit 1; }

buildtype=$(meson introspect "$build" --buildoptions | python3 -c '
import json, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
bad = [f"{k}={opts[k]}" for k, want in (("buildtype", "release"), ("b_sanitize", "none"), ("native", False))
       if opts.get(k) != want]
if bad:
    sys.exit("cycle-budget: record from the plain build, not one with " + ", ".join(bad))
print(opts["buildtype"])')
# The compiler as the cycle_budget test names it (meson's id and version): the test's own argument.
compiler=$(python3 -c '
import json, sys
for t in json.load(open(sys.argv[1])):
    if t["name"] == "cycle_budget":
        print(t["cmd"][t["cmd"].index("--compiler") + 1])
        break
else:
    sys.exit("cycle-budget: this build defines no cycle_budget test")' "$build/meson-info/intro-tests.json")

ninja -C "$build" bench/tickpath_budget_driver bench/tickpath_bench >/dev/null
if [ "$mode" = check ]; then
  exec python3 bench/cycle_budget.py check --driver "$build/bench/tickpath_budget_driver" \
      --budget bench/cycle_budget.json --compiler "$compiler"
fi
python3 bench/cycle_budget.py record --driver "$build/bench/tickpath_budget_driver" \
    --bench "$build/bench/tickpath_bench" --budget bench/cycle_budget.json --doc docs/performance.md \
    --compiler "$compiler" --buildtype "$buildtype" --events "$events"
