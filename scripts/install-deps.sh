#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, test and run tickpath.
# Idempotent: packages already present are skipped, apt runs only when something is missing.
set -euo pipefail

packages=(
  build-essential pkg-config meson ninja-build python3
  libdpdk-dev dpdk dpdk-dev
  liburing-dev libhwloc-dev hwloc
  libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libfmt-dev libcpp-httplib-dev libmicrohttpd-dev zlib1g-dev prometheus
  libseccomp-dev binutils valgrind
  clang-14 libclang-rt-14-dev
  iproute2 procps util-linux curl
  libsystemd-dev bash-completion dpkg-dev debhelper fakeroot lintian
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: need root to install packages (run as root or with sudo)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
