#!/usr/bin/env bash
# Installs what is missing, then configures and builds tickpath in build/ (or $TICKPATH_BUILD).
# Extra arguments are passed to `meson setup` on the first configure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build=${TICKPATH_BUILD:-build}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$@"
fi
ninja -C "$build"
