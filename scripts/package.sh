#!/usr/bin/env bash
# Builds the Debian package tickpath_<version>_<arch>.deb with Debian's own tools:
#   1. meson builds the appliance only (no tests, no benchmarks) with prefix /usr in build-deb/
#      (or $TICKPATH_DEB_BUILD);
#   2. a debian/ tree is assembled in build-deb/deb/tickpath-<version>/ and dpkg-buildpackage
#      runs it: debhelper installs with `meson install`, marks /etc files as conffiles, adds the
#      systemd unit's maintainer-script snippets, strips, and dh_shlibdeps (dpkg-shlibdeps)
#      declares Depends: from the libraries the binary links;
#   3. lintian checks the .deb and fails on any error.
# Prints the .deb's path as its last line. Options: --no-lintian.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

lintian=1
for arg in "$@"; do
  case "$arg" in
    --no-lintian) lintian=0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh >&2
build=${TICKPATH_DEB_BUILD:-build-deb}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" --prefix=/usr -Dtests=false -Dbenchmarks=false >&2
fi
ninja -C "$build" >&2

version=$(meson introspect "$build" --projectinfo | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
arch=$(dpkg --print-architecture)
pkgroot="$root/$build/deb"
src="$pkgroot/tickpath-$version"
rm -rf "$pkgroot"
mkdir -p "$src/debian/source"
# Debian's convention: DEBFULLNAME/DEBEMAIL, else the commit's author.
maintainer="${DEBFULLNAME:-$(git -C "$root" log -1 --format=%an 2>/dev/null || echo tickpath)} <${DEBEMAIL:-$(git -C "$root" log -1 --format=%ae 2>/dev/null || echo tickpath@example.org)}>"
cd "$src"

echo "3.0 (native)" > debian/source/format

# DPDK loads its drivers with dlopen, where dpkg-shlibdeps cannot see them: the two the shipped
# config needs (the null PMD, the ring mempool) are named from the packages that own them here.
plugins=$(for lib in librte_net_null.so librte_mempool_ring.so; do
  dpkg-query -S "*/dpdk/pmds-*/$lib.*" 2>/dev/null | head -n 1 | cut -d: -f1
done | paste -sd, | sed 's/,/, /g')
[ -n "$plugins" ] || { echo "package.sh: DPDK's null PMD / ring mempool packages not found" >&2; exit 1; }

cat > debian/control <<EOF
Source: tickpath
Section: net
Priority: optional
Maintainer: $maintainer
Build-Depends: debhelper-compat (= 13), meson
Standards-Version: 4.6.2
Rules-Requires-Root: no

Package: tickpath
Architecture: any
Depends: \${shlibs:Depends}, \${misc:Depends}, $plugins
Recommends: dpdk
Suggests: prometheus, tuned
Description: kernel-bypass reference appliance for market-data infrastructure
 tickpath receives market-data frames with a DPDK poll-mode driver, stamps
 each with the TSC, publishes it into a broadcast ring in hugepage memory and
 acknowledges it from an execution consumer that follows a lifecycle (INIT,
 WARMUP, READY, DEGRADED). It reports per-stage latency (HdrHistogram),
 loss and health, serves Prometheus metrics and readiness probes, and speaks
 the sd_notify protocol as a systemd Type=notify service.
 .
 The package ships the binary, the service's configuration in
 /etc/tickpath, example configurations, a tuned profile, Prometheus rules, a
 Grafana dashboard, the man page, bash completion and the systemd unit
 (installed disabled: configure, then systemctl enable --now tickpath).
EOF

# One entry for the version being built; the date is the commit's, so a rebuild is identical.
commit_date=$(git -C "$root" log -1 --format=%cD 2>/dev/null || date -R)
commit=$(git -C "$root" describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
cat > debian/changelog <<EOF
tickpath ($version) bookworm; urgency=medium

  * Built from commit $commit by scripts/package.sh.

 -- $maintainer  $commit_date
EOF

cat > debian/copyright <<'EOF'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tickpath

Files: *
Copyright: 2026 tickpath authors
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 THE SOFTWARE.
EOF

# The unit's state (StateDirectory=tickpath: report folders) goes with a purge, not a remove.
cat > debian/tickpath.postrm <<'EOF'
#!/bin/sh
set -e
if [ "$1" = "purge" ]; then
    rm -rf /var/lib/tickpath
fi
#DEBHELPER#
EOF

# Already built above: debhelper only installs (meson install into the package's tree) and packs.
cat > debian/rules <<EOF
#!/usr/bin/make -f
export DEB_BUILD_OPTIONS += noautodbgsym
%:
	dh \$@

override_dh_auto_configure override_dh_auto_build override_dh_auto_test override_dh_auto_clean:
	@true

override_dh_auto_install:
	DESTDIR=\$(CURDIR)/debian/tickpath meson install -C $root/$build --no-rebuild --quiet

# Installed disabled and stopped: as shipped the config runs the null PMD; an operator points it
# at a NIC, writes the cpu drop-in, then enables it.
override_dh_installsystemd:
	dh_installsystemd --no-enable --no-start
EOF
chmod +x debian/rules

dpkg-buildpackage -b -us -uc >&2
deb="$pkgroot/tickpath_${version}_${arch}.deb"
[ -f "$deb" ] || { echo "package.sh: dpkg-buildpackage produced no $deb" >&2; exit 1; }
if [ "$lintian" = 1 ]; then
  # Errors fail the build; warnings are printed for the reader.
  lintian --fail-on error --display-info "$deb" >&2
fi
echo "$deb"
