#!/usr/bin/env python3
"""Test of scripts/bench-compare.py on a very short real run of tickpath_bench.

Registered by bench/meson.build as `bench_compare` (suite unit). Checks the script's contract:
  1. --binary mode runs the benchmark (only the members of the pairs, 10 ms each), prints a table
     with every pair, exits 0, and --save writes the JSON;
  2. file mode on that JSON gives the same table and exits 0;
  3. with one pair member removed from the JSON it exits 1 and names the missing benchmark;
  4. a ratio far from its target (a doctored Publish result) still exits 0.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

# Only the members of the pairs, so the run stays short.
FILTER = ("^(Handoff/|Latency/|Publish/consumers:[14](/burst:32)?$|Executor/|"
          "Clock/(rdtsc|clock_gettime_monotonic)$|Ingest/(ab_lines|moldudp64_in_order)/)")


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    print(f"$ {' '.join(cmd)}\n-> {proc.returncode}\n{proc.stdout}{proc.stderr}")
    return proc


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--script", required=True)
    ap.add_argument("--allow-missing", action="append", default=[])
    args = ap.parse_args()
    allow = [a for pattern in args.allow_missing for a in ("--allow-missing", pattern)]
    compare = [sys.executable, args.script]

    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "bench.json")
        p = run(compare + ["--binary", args.binary, "--save", saved] + allow +
                ["--", "--benchmark_min_time=0.01", f"--benchmark_filter={FILTER}"])
        if p.returncode != 0:
            fail("--binary run did not exit 0")
        for name in ("Handoff/tickpath/burst:32", "Publish/consumers:4", "Executor/counting_sink",
                     "Clock/clock_gettime_monotonic"):
            if name not in p.stdout:
                fail(f"table has no row for {name}")
        if "MISSING" in p.stdout:
            fail("a pair is missing from a full run")

        p = run(compare + allow + [saved])
        if p.returncode != 0:
            fail("file mode did not exit 0")

        with open(saved, encoding="utf-8") as f:
            doc = json.load(f)
        lost = [b for b in doc["benchmarks"] if b["name"].startswith("Handoff/tickpath") and b.get("lost")]
        if lost:
            fail(f"tickpath handoff lost events despite the throttle: {lost}")

        removed = dict(doc, benchmarks=[b for b in doc["benchmarks"] if b["name"] != "Executor/null_sink"])
        broken = os.path.join(tmp, "missing.json")
        with open(broken, "w", encoding="utf-8") as f:
            json.dump(removed, f)
        p = run(compare + allow + [broken])
        if p.returncode != 1 or "Executor/null_sink" not in p.stderr:
            fail("a missing pair must exit 1 and name the benchmark")

        for b in doc["benchmarks"]:
            if b["name"] == "Publish/consumers:4":
                b["cpu_time"] *= 100  # a ratio of ~100 against a target of 1.10
                b["real_time"] *= 100
        doctored = os.path.join(tmp, "doctored.json")
        with open(doctored, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        p = run(compare + allow + [doctored])
        if p.returncode != 0 or "MISSED" not in p.stdout:
            fail("a missed target must be reported but never change the exit status")
    print("PASS")


if __name__ == "__main__":
    main()
