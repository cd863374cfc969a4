#!/usr/bin/env bash
# A soak: one long run of the appliance under a failure schedule, a paced feed and an HTTP
# scraper, then a verdict. Checks that
#   - the process's RSS stays flat after warmup (growth within --rss-bound-mib),
#   - every Prometheus counter scraped from /metrics is monotonic,
#   - the control plane's accounting invariants held at every interval (summary.json
#     control.invariants, and the "accounting" probe of every /health scrape),
#   - the run exits 0 with a complete report that `tickpath report` renders again.
# Prints one verdict line, `soak: PASS ...` or `soak: FAIL ...`, and exits 1 on failure.
#
#   scripts/soak.sh --minutes N [--rate PPS] [--binary PATH] [--out DIR] [--rss-bound-mib M]
#                   [--rss-per-interval-kib K]
#
# The RSS allowance is M MiB (default 4) plus K KiB per interval after warmup (default 0): the
# control plane keeps only the last interval (timeline.csv and latency.hlog on disk are the record),
# so nothing is expected to grow with the run's length; M covers allocator and page-cache noise.
# Growth beyond that is a leak. docs/reliability.md "Soak" has the measured figures.
#
# The appliance runs niced (housekeeping-friendly on a shared machine), from a copy of the binary
# (a rebuild during the soak does not change what runs), with its own EAL file prefix and an
# ephemeral HTTP port.
set -euo pipefail

minutes=1
rate=50000
binary=""
out=""
rss_bound_mib=4
rss_per_interval_kib=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --rss-bound-mib) rss_bound_mib="$2"; shift 2 ;;
    --rss-per-interval-kib) rss_per_interval_kib="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -ge 1 ]] || { echo "soak.sh: --minutes must be a whole number >= 1" >&2; exit 2; }
[[ "$rate" =~ ^[0-9]+$ && "$rate" -ge 1000 ]] || { echo "soak.sh: --rate must be a whole number >= 1000 (events/s)" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${binary:-$root/build/apps/tickpath/tickpath}"
[[ -x "$binary" ]] || { echo "soak.sh: no tickpath binary at $binary (build first, or --binary)" >&2; exit 2; }
out="${out:-$(mktemp -d /tmp/tickpath-soak.XXXXXX)}"
mkdir -p "$out"
cp "$binary" "$out/tickpath"
tickpath="$out/tickpath"
duration=$((minutes * 60))

# The failure schedule: every 60 s of events a 5 s window, alternating the two scenarios.
{
  cat <<EOF
[eal]
file_prefix = "tp-soak-$$"
[run]
duration_s = $duration
rate_pps = $rate
stats_interval_ms = 1000
[report]
dir = "$out/reports"
[http]
listen = "127.0.0.1:0"
EOF
  window=0
  for ((at = 30 * rate; at < duration * rate; at += 60 * rate)); do
    scenario=$([[ $((window % 2)) -eq 0 ]] && echo market_data_outage || echo execution_failure)
    printf '[[failure.schedule]]\nscenario = "%s"\nat_event = %d\nfor_events = %d\n' "$scenario" "$at" $((5 * rate))
    window=$((window + 1))
  done
} > "$out/soak.toml"

nice -n 10 "$tickpath" run --config "$out/soak.toml" > "$out/run.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; [[ -n "${scraper:-}" ]] && kill "$scraper" 2>/dev/null || true; }
trap cleanup EXIT

port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's/^http: listening on .* (port \([0-9]*\))$/\1/p' "$out/run.log" | head -1)"
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$port" ]]; then
  echo "soak: FAIL the appliance did not start its HTTP endpoint; see $out/run.log" >&2
  tail -20 "$out/run.log" >&2
  exit 1
fi
echo "soak.sh: pid $pid, http port $port, $minutes min at $rate events/s, folder $out"

# The scraper: /metrics and /health once a second (one line each per scrape), and an operator
# toggling execution_failure over HTTP every 20 s (on for 3 s), on top of the schedule.
(
  n=0
  while kill -0 "$pid" 2>/dev/null; do
    t="$(date +%s.%N)"
    if body="$(curl -sf -m 2 "http://127.0.0.1:$port/metrics")"; then
      printf '%s %s\n' "$t" "$(grep -E '^tickpath_[a-z_]+_total' <<<"$body" | tr ' ' '=' | tr '\n' ' ')" >> "$out/metrics.scrapes"
    else
      # A scrape refused while the appliance shuts down is not a failure.
      kill -0 "$pid" 2>/dev/null && echo "$t" >> "$out/scrape.failures"
    fi
    if health="$(curl -sf -m 2 "http://127.0.0.1:$port/health")"; then
      printf '%s %s\n' "$t" "$(tr -d '\n' <<<"$health")" >> "$out/health.scrapes"
    fi
    case $((n % 20)) in
      10) curl -sf -m 2 -X POST "http://127.0.0.1:$port/failure/execution_failure/activate" > /dev/null || true ;;
      13) curl -sf -m 2 -X POST "http://127.0.0.1:$port/failure/execution_failure/deactivate" > /dev/null || true ;;
    esac
    n=$((n + 1))
    sleep 1
  done
) &
scraper=$!

# RSS every 5 s until the process exits.
: > "$out/rss.csv"
start="$(date +%s)"
while kill -0 "$pid" 2>/dev/null; do
  rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
  [[ -n "$rss" ]] && echo "$(( $(date +%s) - start )),$rss" >> "$out/rss.csv"
  sleep 5
done
set +e
wait "$pid"
rc=$?
set -e
wait "$scraper" 2>/dev/null || true
trap - EXIT

folder="$(sed -n 's/^report: //p' "$out/run.log" | tail -1)"
rerender=1
if [[ -n "$folder" ]]; then
  "$tickpath" report "$folder" --out "$out/rerendered.html" > "$out/report.log" 2>&1 && rerender=0
fi

exec python3 - "$out" "$rc" "$folder" "$rerender" "$minutes" "$rate" "$rss_bound_mib" "$rss_per_interval_kib" <<'PY'
import json, os, sys

out, rc, folder, rerender, minutes, rate, bound_mib, per_interval_kib = sys.argv[1:9]
rc, rerender, minutes, rate = int(rc), int(rerender), int(minutes), int(rate)
bound_mib, per_interval_kib = float(bound_mib), float(per_interval_kib)
failures = []

def lines(name):
    p = os.path.join(out, name)
    return open(p).read().splitlines() if os.path.exists(p) else []

if rc != 0:
    failures.append(f"exit code {rc}")

# RSS: flat after warmup (the first 20% of the run, at least 20 s: pools, page cache of the
# report folder, histograms touched for the first time).
rss = [tuple(map(int, l.split(","))) for l in lines("rss.csv") if l]
duration = minutes * 60
warm_s = max(20, duration // 5)
after = [kib for t, kib in rss if t >= warm_s]
rss_text = "no RSS samples"
if len(after) < 2:
    failures.append("too few RSS samples after warmup")
else:
    growth_mib = (max(after) - after[0]) / 1024
    span_s = max(t for t, _ in rss if t >= warm_s) - min(t for t, _ in rss if t >= warm_s)
    allowed_mib = bound_mib + per_interval_kib * span_s / 1024  # one interval a second
    per_interval = (after[-1] - after[0]) / span_s if span_s else 0.0
    rss_text = (f"RSS {after[0] / 1024:.1f} MiB at {warm_s} s -> {after[-1] / 1024:.1f} MiB at the end, "
                f"max growth +{growth_mib:.2f} MiB = {per_interval:.2f} KiB per interval "
                f"(bound {allowed_mib:.2f} MiB = {bound_mib:g} MiB + {per_interval_kib:g} KiB x {span_s} intervals)")
    if growth_mib > allowed_mib:
        failures.append(f"RSS grew {growth_mib:.2f} MiB after warmup (bound {allowed_mib:.2f} MiB)")

# Counters: every series non-decreasing from scrape to scrape.
scrapes = lines("metrics.scrapes")
regressions, last = [], {}
for l in scrapes:
    for field in l.split()[1:]:
        key, _, value = field.rpartition("=")
        v = float(value)
        if key in last and v < last[key]:
            regressions.append(f"{key}: {last[key]:g} -> {v:g}")
        last[key] = v
if regressions:
    failures.append(f"{len(regressions)} counter regressions, first: {regressions[0]}")
scrape_failures = len(lines("scrape.failures"))
# One attempt a second at most (each waits for its answers): on a loaded machine fewer happen.
if len(scrapes) < duration * 0.5:
    failures.append(f"only {len(scrapes)} /metrics scrapes answered in {duration} s")
if scrape_failures > max(1, len(scrapes) // 100):
    failures.append(f"{scrape_failures} scrapes got no answer within 2 s (of {len(scrapes) + scrape_failures})")

# The accounting probe in every /health scrape.
probe_failures = 0
for l in lines("health.scrapes"):
    body = json.loads(l.split(" ", 1)[1])
    for p in body.get("probes", []):
        if p["name"] == "accounting" and p["status"] != "ok":
            probe_failures += 1
            if probe_failures == 1:
                failures.append(f"/health accounting probe: {p['status']}: {p['reason']}")

# The report: complete, the invariants recorded at every interval, re-rendered.
events, checks = 0, 0
if not folder:
    failures.append("no report folder printed")
else:
    s = json.load(open(os.path.join(folder, "summary.json")))
    events = s["events"]["published"]
    inv = s["control"]["invariants"]
    checks = inv["checks"]
    if inv["violations"]:
        failures.append(f"{inv['violations']} invariant violations, first: {inv['first_violations'][0]}")
    if checks < duration - 2:
        failures.append(f"invariants checked {checks} times in a {duration} s run")
    if s["report"]["errors"]:
        failures.append(f"report errors: {s['report']['errors']}")
    if s.get("provisional"):
        failures.append("summary.json is still provisional")
    for f in ("report.html", "timeline.csv", "latency.hlog", "latency.hgrm"):
        if not os.path.exists(os.path.join(folder, f)):
            failures.append(f"{f} missing")
    rows = len(open(os.path.join(folder, "timeline.csv")).read().splitlines()) - 1
    if rows < duration - 2:
        failures.append(f"timeline.csv has {rows} intervals for a {duration} s run")
    if rerender:
        failures.append("tickpath report could not re-render the folder (see report.log)")
    for c in s["consumers"]:
        if c["consumed"] + c["lost"] != events:
            failures.append(f"{c['name']}: consumed + lost != published in summary.json")

verdict = "PASS" if not failures else "FAIL"
print(f"soak: {verdict} {minutes} min at {rate} events/s: {events} events, {rss_text}, "
      f"{len(scrapes)} scrapes ({scrape_failures} failed), {len(regressions)} counter regressions, "
      f"{checks} invariant checks, {probe_failures} failed accounting probes; folder {out}")
for f in failures:
    print(f"soak: failure: {f}")
sys.exit(0 if not failures else 1)
PY
