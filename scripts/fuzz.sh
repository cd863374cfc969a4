#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang-14 under ASan + UBSan in their own build
# folder and runs each for a fixed time, one line per target: executions, coverage, crashes.
#
#   scripts/fuzz.sh [--seconds N] [--runs R] [--build DIR] [TARGET...]
#
#   --seconds N   time per target (default 10)
#   --runs R      stop a target after R executions, if that comes before N seconds (a campaign:
#                 --runs 100000000 --seconds 3600)
#   --build DIR   build folder (default build-fuzz)
#   TARGET        fuzz_frames, fuzz_config, ... (default: every target in tests/fuzz)
#
# Each target starts from its seed corpus, tests/fuzz/corpus/<target>/ (every regression input is
# replayed first), and grows a working copy in DIR/corpus/<target>/; the repo's corpus is never
# written. A crash, timeout (10 s for one input), out-of-memory (2 GB) or leak leaves its input in
# DIR/artifacts/<target>/: copy it into the seed corpus when it is fixed. Exit 1 when any target
# found one, 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=10 runs=-1 build=build-fuzz targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --build) build=${2:?--build needs a folder}; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: --seconds takes whole seconds, got '$seconds'" >&2; exit 2 ;; esac
case "$runs" in -1) ;; ''|*[!0-9]*) echo "fuzz.sh: --runs takes a whole number, got '$runs'" >&2; exit 2 ;; esac
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

command -v clang++-14 >/dev/null || { echo "fuzz.sh: clang++-14 is missing: run scripts/install-deps.sh" >&2; exit 2; }
if [ ! -f "$build/build.ninja" ]; then
  # Logs live inside the build folder; meson wants that folder to itself, so setup's log waits
  # in a temporary file until the folder exists.
  setup_log=$(mktemp)
  CXX=clang++-14 meson setup "$build" -Dfuzz=true -Dtests=false -Dbenchmarks=false -Ddpdk=disabled \
      -Dbuildtype=debugoptimized -Db_ndebug=false -Dwerror=false >"$setup_log" 2>&1 ||
    { cat "$setup_log" >&2; rm -f "$setup_log"; exit 2; }
  mkdir -p "$build/logs" && mv "$setup_log" "$build/logs/setup.log"
fi
mkdir -p "$build/logs"
ninja -C "$build" "${targets[@]/#/tests/fuzz/}" >"$build/logs/ninja.log" 2>&1 ||
  { tail -n 60 "$build/logs/ninja.log" >&2; exit 2; }

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "${targets[@]}"; do
  seeds=tests/fuzz/corpus/$t work=$build/corpus/$t artifacts=$build/artifacts/$t
  log=$build/logs/$t.log
  mkdir -p "$seeds" "$work" "$artifacts" "$(dirname "$log")"
  rm -f "$artifacts"/*
  rc=0
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$work" "$seeds" >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  crashes=$(find "$artifacts" -type f | wc -l)
  if [ "$rc" != 0 ] && [ "$crashes" = 0 ]; then crashes="1 (exit $rc, see $log)"; fi
  printf '%-16s executions %-11s coverage %-22s crashes %s\n' "$t" "${execs:-?}" "${cov:-?}" "$crashes"
  if [ "$crashes" != 0 ]; then
    failed=1
    find "$artifacts" -type f -printf '  %p\n'
  fi
done
exit "$failed"
