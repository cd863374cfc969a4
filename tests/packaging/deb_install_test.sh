#!/usr/bin/env bash
# The Debian package on this machine: install it, run the installed binary from the installed
# config, remove it (the conffile stays), purge it, and check that nothing of it is left.
# usage: deb_install_test.sh tickpath_<version>_<arch>.deb     (root; run by scripts/test.sh)
set -euo pipefail
deb=$(readlink -f "$1")
fail() { echo "deb_install_test: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "deb_install_test: SKIP: needs root to install a package"; exit 0; }
if dpkg-query -W -f='${Status}' tickpath 2>/dev/null | grep -q "ok installed"; then
  fail "a tickpath package is already installed here; purge it first (dpkg --purge tickpath)"
fi
tmp=$(mktemp -d)
prefix="tp-deb$$"
cleanup() { rm -rf "$tmp" "/var/run/dpdk/$prefix"; }
trap cleanup EXIT

# apt resolves the Depends: dpkg-shlibdeps declared (already present on a build machine).
apt-get install -y -qq "$deb" >/dev/null 2>"$tmp/apt.err" || { cat "$tmp/apt.err" >&2; fail "install"; }
dpkg -L tickpath | sort > "$tmp/files"
echo "installed $(grep -c . "$tmp/files") paths, e.g.:"
grep -E 'bin/tickpath$|tickpath.toml$|tickpath.service$|man1/tickpath|completions/tickpath$' "$tmp/files" | sed 's/^/  /'
grep -qx /etc/tickpath/tickpath.toml <(dpkg-query -W -f='${Conffiles}\n' tickpath | awk '{print $1}') \
  || fail "/etc/tickpath/tickpath.toml is not a conffile"

version=$(/usr/bin/tickpath --version) || fail "tickpath --version"
echo "$version"
[[ $version == "tickpath $(dpkg-query -W -f='${Version}' tickpath) ("* ]] || fail "--version '$version' is not the package's version"

# The installed config, as the unit runs it, for 2 s (its own EAL prefix and an ephemeral port:
# other runs may share this host). No hugepages needed: hugepages = "auto" falls back.
(cd "$tmp" && /usr/bin/tickpath run --config /etc/tickpath/tickpath.toml --duration 2 \
   --set "eal.file_prefix=\"$prefix\"" --set 'http.listen="127.0.0.1:0"' > "$tmp/run.out" 2>&1) \
  || { tail -20 "$tmp/run.out" >&2; fail "2 s run from /etc/tickpath/tickpath.toml"; }
summary=$(sed -n 's/^report: //p' "$tmp/run.out")/summary.json
python3 - "$summary" <<'PY' || fail "summary of the installed run"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["events"]["published"] > 0, s["events"]
assert s["lifecycle"]["final"] == "READY", s["lifecycle"]
print(f"run: {s['events']['published']} events published, final state {s['lifecycle']['final']}, "
      f"config {s['config']['port']['vdev']}")
PY

man -w tickpath >/dev/null 2>&1 || [ -f /usr/share/man/man1/tickpath.1.gz ] || fail "man page tickpath(1) not installed"

dpkg -r tickpath >/dev/null
[ -f /etc/tickpath/tickpath.toml ] || fail "remove (not purge) must keep the conffile"
[ ! -e /usr/bin/tickpath ] || fail "remove left /usr/bin/tickpath"
mkdir -p /var/lib/tickpath/reports  # what the service leaves when it has run: purge must take it
dpkg --purge tickpath >/dev/null

left=()
while read -r path; do
  # Shared directories (/usr, /usr/share/man/man1, ...) belong to other packages too.
  if [ -d "$path" ]; then
    if [[ $path == *tickpath* ]]; then left+=("$path"); fi
  elif [ -e "$path" ] || [ -L "$path" ]; then
    left+=("$path")
  fi
done < "$tmp/files"
for path in /etc/tickpath /var/lib/tickpath /usr/share/doc/tickpath /usr/share/tickpath; do
  if [ -e "$path" ]; then left+=("$path"); fi
done
[ ${#left[@]} -eq 0 ] || fail "left behind after purge: ${left[*]}"
if dpkg-query -W -f='${Status}' tickpath 2>/dev/null | grep -q .; then fail "dpkg still knows tickpath after purge"; fi
echo "deb_install_test: PASS: installed, ran 2 s from /etc/tickpath/tickpath.toml, removed, purged, nothing left"
