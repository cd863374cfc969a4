#!/usr/bin/env bash
# tickpath events/s ÷ dpdk-testpmd rx pps, on the same null vdev, back to back, same cpus, same
# mbuf pool size and the same hugepage mode. testpmd in rxonly mode is the ceiling: it receives
# and frees mbufs and does nothing else; tickpath stamps, publishes, consumes and acks each one.
#
#   scripts/testpmd-ratio.sh [--seconds N] [--no-huge] [--analytics on|off] [--build DIR]
#
# Hugepages: without --no-huge both runs need them (scripts/hugepages.sh reserve, as root).
# Each run has its own EAL file prefix (this shell's pid) and tickpath an ephemeral HTTP port, so
# it runs beside other appliances on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=5 huge=1 analytics=off build=build
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --no-huge) huge=0; shift ;;
    --analytics) analytics=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--no-huge] [--analytics on|off] [--build DIR]" >&2; exit 2 ;;
  esac
done
tickpath=$build/apps/tickpath/tickpath
[ -x "$tickpath" ] || { echo "testpmd-ratio: build first ($tickpath missing)" >&2; exit 1; }
command -v dpdk-testpmd >/dev/null || { echo "testpmd-ratio: dpdk-testpmd missing (apt-get install dpdk-dev)" >&2; exit 1; }

mem_args=() hp_policy=required
if [ "$huge" = 0 ]; then mem_args=(--no-huge -m 1024); hp_policy=off; fi
hot=$(( $(nproc) > 1 ? 1 : 0 ))

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# testpmd prints Rx-pps every stats period; the first two periods include start-up.
timeout -s INT "$((seconds + 2))" dpdk-testpmd -l "0,$hot" "${mem_args[@]}" --no-pci --vdev=net_null0 \
    --file-prefix="tp-ratio-testpmd-$$" -- --forward-mode=rxonly --auto-start --stats-period=1 \
    --total-num-mbufs=8191 >"$log" 2>&1 || true
testpmd_pps=$(grep -o 'Rx-pps: *[0-9]*' "$log" | awk '{print $2}' | tail -n +3 | sort -n |
              awk '{v[NR]=$1} END {if (NR == 0) print 0; else print v[int((NR + 1) / 2)]}')
[ "$testpmd_pps" -gt 0 ] || { echo "testpmd-ratio: testpmd reported no rx rate:"; tail -20 "$log"; exit 1; }

reports=$(mktemp -d)
trap 'rm -rf "$log" "$reports"' EXIT
analytics_enabled=false
[ "$analytics" = on ] && analytics_enabled=true
"$tickpath" run --duration "$seconds" --report-dir "$reports" --set "eal.hugepages=\"$hp_policy\"" \
    --set "analytics.enabled=$analytics_enabled" --set "eal.file_prefix=\"tp-ratio-$$\"" --set port.mbufs=8191 \
    --set 'http.listen="127.0.0.1:0"' >"$log" 2>&1 ||
  { echo "testpmd-ratio: tickpath failed:"; tail -20 "$log"; exit 1; }
summary=$(ls -d "$reports"/*/summary.json | head -1)
tickpath_eps=$(python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['throughput']['events_per_s']))" "$summary")

python3 - "$tickpath_eps" "$testpmd_pps" "$huge" "$analytics" <<'PY'
import sys
eps, pps, huge, analytics = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
print(f"memory           {'hugepages' if huge else '--no-huge (4 KiB pages)'}")
print(f"analytics        {analytics}")
print(f"testpmd rx pps   {pps:>14,}  (median of per-second rates)")
print(f"tickpath events/s{eps:>14,}  (summary.json throughput)")
print(f"ratio            {eps / pps:>14.3f}  tickpath events/s / testpmd rx pps")
PY
