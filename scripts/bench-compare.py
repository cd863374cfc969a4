#!/usr/bin/env python3
"""Ratio table for tickpath_bench: pairs of benchmarks compared by name.

Usage:
  scripts/bench-compare.py RESULTS.json
  scripts/bench-compare.py --binary build/bench/tickpath_bench [--save out.json] [-- BENCH_ARGS...]

RESULTS.json is Google Benchmark's JSON (`--benchmark_format=json` on stdout, or
`--benchmark_out=FILE`). With --binary the benchmark is run here (JSON on stdout, any extra
arguments after `--` passed through, e.g. --benchmark_repetitions=3) and --save keeps the JSON.

Each pair is `numerator / denominator` on one metric:
  throughput  items_per_second          (> 1: the numerator moves more events per second)
  time        cpu_time per iteration    (> 1: the numerator takes longer)
  counter:X   user counter X            (> 1: the numerator's X is larger)
Both items_per_second and cpu_time are Google Benchmark's defaults: CPU time of the benchmark
thread (the producer, which spins and never blocks). On a VM that time excludes steal; when a
benchmark's real time exceeds its CPU time by more than 20% the table flags it as disturbed.
When the input has aggregates (--benchmark_repetitions with or without
--benchmark_report_aggregates_only) the median is used; plain repeated runs are reduced to their
median here.

Exit status: 0 when every pair was found, 1 when a pair is missing (or a benchmark of it failed),
2 on bad input. A ratio never changes the exit status: machines are noisy, and the targets column
is information for the reader, not a gate.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys

# (numerator, denominator, metric, target) — target: (op, value) or None.
PAIRS = [
    ("Handoff/tickpath/burst:1", "Handoff/rte_ring/burst:1", "throughput", None),
    ("Handoff/tickpath/burst:32", "Handoff/rte_ring/burst:32", "throughput", (">=", 1.0)),
    ("Latency/tickpath", "Latency/rte_ring", "counter:oneway_p50_ns", None),
    ("Publish/consumers:4", "Publish/consumers:1", "time", ("<=", 1.10)),
    ("Publish/consumers:4/burst:32", "Publish/consumers:1/burst:32", "time", ("<=", 1.10)),
    ("Executor/counting_sink", "Executor/null_sink", "time", None),
    ("Executor/metrics_sink", "Executor/null_sink", "time", None),
    ("Clock/clock_gettime_monotonic", "Clock/rdtsc", "time", None),
    ("Ingest/ab_lines/burst:32", "Ingest/moldudp64_in_order/burst:32", "throughput", (">=", 0.8)),
]

TIME_UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def load_results(doc):
    """Maps run name -> {"value": {metric: float}, "statistic": str} or {"error": msg}."""
    runs = {}
    aggregates = {}
    errors = {}
    for b in doc.get("benchmarks", []):
        name = b.get("run_name", b.get("name"))
        if b.get("error_occurred"):
            errors[name] = b.get("error_message", "error")
        elif b.get("run_type") == "aggregate":
            aggregates.setdefault(name, {})[b.get("aggregate_name")] = b
        else:
            runs.setdefault(name, []).append(b)

    def metrics(b):
        out = {k: v for k, v in b.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        scale = TIME_UNIT_NS.get(b.get("time_unit", "ns"), 1.0)
        if "real_time" in b:
            out["real_time_ns"] = b["real_time"] * scale
        if "cpu_time" in b:
            out["cpu_time_ns"] = b["cpu_time"] * scale
        return out

    # A failed repetition makes the whole benchmark failed.
    results = {name: {"error": msg} for name, msg in errors.items()}
    for name, aggs in aggregates.items():
        if name in results:
            continue
        for stat in ("median", "mean"):
            if stat in aggs:
                reps = aggs[stat].get("repetitions")
                label = f"{stat} of {reps}" if reps else stat
                results[name] = {"value": metrics(aggs[stat]), "statistic": label}
                break
    for name, entries in runs.items():
        if name in results:
            continue
        its = [metrics(b) for b in entries]
        if len(its) == 1:
            results[name] = {"value": its[0], "statistic": "single run"}
        else:
            keys = set.intersection(*(set(m) for m in its))
            results[name] = {
                "value": {k: statistics.median(m[k] for m in its) for k in keys},
                "statistic": f"median of {len(its)}",
            }
    return results


def metric_value(result, metric):
    v = result["value"]
    if metric == "throughput":
        return v.get("items_per_second")
    if metric == "time":
        return v.get("cpu_time_ns")
    if metric.startswith("counter:"):
        return v.get(metric.split(":", 1)[1])
    raise ValueError(metric)


def is_disturbed(result):
    v = result["value"]
    real, cpu = v.get("real_time_ns"), v.get("cpu_time_ns")
    return bool(real and cpu and real > 1.2 * cpu)


def fmt(metric, x):
    if metric == "throughput":
        return f"{x / 1e6:.2f} M/s"
    if metric == "time":
        return f"{x:.2f} ns"
    return f"{x:.1f}"


def compare(results, allow_missing):
    rows = []
    missing = []
    for num, den, metric, target in PAIRS:
        problems = []
        values = []
        for name in (num, den):
            r = results.get(name)
            if r is None:
                problems.append(f"{name}: not in the results")
            elif "error" in r:
                problems.append(f"{name}: failed ({r['error']})")
            else:
                val = metric_value(r, metric)
                if val is None:
                    problems.append(f"{name}: no {metric} value")
                values.append(val)
        if problems:
            allowed = any(re.search(p, num) or re.search(p, den) for p in allow_missing)
            rows.append((num, den, metric, "-", "-", "missing (allowed)" if allowed else "MISSING", ""))
            if not allowed:
                missing.extend(problems)
            continue
        a, b = values
        ratio = a / b if b else float("inf")
        notes = []
        if target is not None:
            op, goal = target
            met = ratio >= goal if op == ">=" else ratio <= goal
            notes.append(f"target {op} {goal:.2f}: {'met' if met else 'MISSED'}")
        disturbed = [n for n in (num, den) if is_disturbed(results[n])]
        if disturbed:
            notes.append("disturbed (real > 1.2 x cpu): " + ", ".join(disturbed))
        note = "; ".join(notes)
        rows.append((num, den, metric, fmt(metric, a), fmt(metric, b), f"{ratio:.3f}", note))
    return rows, missing


def print_table(rows, results, out):
    header = ("numerator", "denominator", "metric", "numerator value", "denominator value", "ratio", "")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()
    print(line, file=out)
    print("-" * len(line), file=out)
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip(), file=out)
    stats = sorted({r["statistic"] for r in results.values() if "statistic" in r})
    if stats:
        print(f"\nstatistic: {', '.join(stats)}", file=out)
    # The throughput comparison is only meaningful when the tickpath consumer lost nothing.
    for name, r in sorted(results.items()):
        if name.startswith("Handoff/tickpath") and "value" in r:
            lost = r["value"].get("lost", 0)
            if lost:
                print(f"note: {name} lost {lost:.0f} events (throttle failed): its throughput is not comparable",
                      file=out)


def run_binary(binary, extra, save):
    cmd = [binary, "--benchmark_format=json"] + extra
    print(f"running: {' '.join(cmd)}", file=sys.stderr)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        print(f"bench-compare: {binary} exited with {proc.returncode}", file=sys.stderr)
        sys.exit(2)
    if save:
        with open(save, "wb") as f:
            f.write(proc.stdout)
    return json.loads(proc.stdout)


def main(argv):
    extra = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("json", nargs="?", help="Google Benchmark JSON output ('-' for stdin)")
    ap.add_argument("--binary", help="run this tickpath_bench and compare its output")
    ap.add_argument("--save", help="with --binary: also write the JSON here")
    ap.add_argument("--allow-missing", action="append", default=[], metavar="REGEX",
                    help="a pair with a benchmark name matching REGEX may be missing (repeatable)")
    args = ap.parse_args(argv)
    if bool(args.json) == bool(args.binary):
        ap.error("give exactly one of JSON or --binary")

    try:
        if args.binary:
            doc = run_binary(args.binary, extra, args.save)
        elif args.json == "-":
            doc = json.load(sys.stdin)
        else:
            with open(args.json, encoding="utf-8") as f:
                doc = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"bench-compare: cannot read results: {e}", file=sys.stderr)
        return 2

    results = load_results(doc)
    rows, missing = compare(results, args.allow_missing)
    print_table(rows, results, sys.stdout)
    if missing:
        print("\nbench-compare: missing pairs:", file=sys.stderr)
        for m in missing:
            print(f"  {m}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
