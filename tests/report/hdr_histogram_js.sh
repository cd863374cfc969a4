#!/bin/sh
# Decodes a tickpath .hlog with HdrHistogram's JavaScript implementation (npm: hdr-histogram-js).
# The package is installed once into a cache under the build folder. Without node/npm or without
# the npm registry the test is SKIPPED (exit 77) and says why: the unit suite must pass offline.
#   hdr_histogram_js.sh HLOG_SAMPLE_BINARY CHECK_JS CACHE_DIR
set -u
sample="$1"; check="$2"; cache="$3"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP: node/npm not installed"; exit 77
fi
if [ ! -f "$cache/node_modules/hdr-histogram-js/package.json" ]; then
  mkdir -p "$cache"
  if ! (cd "$cache" && timeout 120 npm install --no-audit --no-fund --loglevel=error hdr-histogram-js@3 >"$cache/npm.log" 2>&1); then
    echo "SKIP: could not install hdr-histogram-js from npm (offline?): $(grep -m1 -E "code|ECONN|ENOTFOUND|network" "$cache/npm.log")"; exit 77
  fi
fi
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
"$sample" "$work" || { echo "hlog_sample failed"; exit 1; }
node "$check" "$cache/node_modules" "$work"
