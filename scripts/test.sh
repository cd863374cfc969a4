#!/usr/bin/env bash
# Builds and runs every test suite: the plain build (unit, architecture, integration, bench smoke),
# then the unit suite under ASan+UBSan and the concurrency suite (ring, pipeline, histogram)
# under ThreadSanitizer. Options:
#   --quick    plain build only (no sanitizer passes)
#   --no-asan  skip the ASan+UBSan pass
#   --no-tsan  skip the ThreadSanitizer pass
#   --no-fuzz  skip the libFuzzer pass (every tests/fuzz target for 10 s: scripts/fuzz.sh)
# Run as root on Debian 12: it installs missing packages and the integration tests reserve
# hugepages for the half that needs them.
set -euo pipefail
cd "$(dirname "$0")/.."

asan=1 tsan=1 fuzz=1
for arg in "$@"; do
  case "$arg" in
    --quick) asan=0 tsan=0 fuzz=0 ;;
    --no-asan) asan=0 ;;
    --no-tsan) tsan=0 ;;
    --no-fuzz) fuzz=0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh
jobs=$(nproc)

step() { printf '\n==> %s\n' "$*"; }

step "plain build: every suite"
[ -f build/build.ninja ] || meson setup build
ninja -C build
meson test -C build --print-errorlogs --num-processes "$jobs" --no-suite stress --no-suite hw

# The Debian package (root only: it is installed, run, purged). Its build dir shares ccache with
# build/, so the compile is mostly hits.
if [ "$(id -u)" -eq 0 ]; then
  step "package: build the .deb (lintian), install it, run it from its config, purge it"
  deb=$(scripts/package.sh | tail -n 1)
  tests/packaging/deb_install_test.sh "$deb"
fi

# Sanitized passes build only what runs under them: DPDK's own libraries are not instrumented,
# so the appliance and its integration tests stay in the plain pass.
sanitized() {
  local dir=$1 sanitizer=$2 suite=$3
  [ -f "$dir/build.ninja" ] || meson setup "$dir" -Db_sanitize="$sanitizer" -Db_lundef=false \
      -Ddpdk=disabled -Dbenchmarks=false -Dbuildtype=debugoptimized \
      -Dcpp_args=-fno-sanitize-recover=all
  ninja -C "$dir"
  meson test -C "$dir" --print-errorlogs --num-processes "$jobs" --suite "$suite"
}

if [ "$asan" = 1 ]; then
  step "ASan+UBSan: unit suite"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    sanitized build-asan address,undefined unit
fi
if [ "$tsan" = 1 ]; then
  step "TSan: concurrency suite"
  TSAN_OPTIONS=halt_on_error=1 sanitized build-tsan thread concurrency
fi
if [ "$fuzz" = 1 ]; then
  step "libFuzzer: every target for 10 s, seed corpora and regression inputs first"
  scripts/fuzz.sh --seconds 10
fi
step "all requested suites passed"
