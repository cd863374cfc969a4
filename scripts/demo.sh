#!/usr/bin/env bash
# The laptop demo: installs what is missing, builds only the `tickpath` binary (not the tests and
# benchmarks, which the demo never runs; scripts/test.sh builds those in the same build/ folder
# later, reusing these objects), reserves hugepages when it can (root), and runs `tickpath run`
# on DPDK's null PMD. Arguments are passed to `tickpath run` (e.g. scripts/demo.sh --duration 5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=${TICKPATH_BUILD:-build}
[ -f "$build/build.ninja" ] || meson setup "$build"
ninja -C "$build" apps/tickpath/tickpath
if [ "$(id -u)" -eq 0 ]; then
  scripts/hugepages.sh reserve || echo "demo: could not reserve hugepages; tickpath will fall back to --no-huge"
fi
exec "$build/apps/tickpath/tickpath" run "$@"
