#!/usr/bin/env python3
"""The hot path's cycle budget: instructions per event per step (callgrind), ns per event (Google
Benchmark, one run), and the check that no step grew by more than the tolerance.

  cycle_budget.py record --driver D --bench B --budget bench/cycle_budget.json --doc docs/performance.md
      measures both, writes the budget file and the table between the markers of the doc page
  cycle_budget.py check --driver D --budget bench/cycle_budget.json --compiler "gcc 12.2.0"
      measures instructions only and fails on a step that grew past the tolerance; exits 77 (skip)
      when valgrind is not installed

Instruction counts depend on the compiler, its version and the build options: the budget is
recorded from the plain build (buildtype release, no sanitizer, no -march=native) and the check
refuses to compare against a different compiler instead of passing or failing by accident.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOLERANCE = 0.10
# A row this small may move by one instruction without it meaning anything (an extra move in a
# 32-event loop is 0.03 per event): growth must pass both the ratio and this floor.
ABSOLUTE_FLOOR = 0.5
DEFAULT_EVENTS = 4096
TABLE_BEGIN = "<!-- cycle-budget:begin (scripts/cycle-budget.sh writes this table) -->"
TABLE_END = "<!-- cycle-budget:end -->"

KERNELS = ["rx", "decode_raw", "decode_moldudp64", "publish", "publish_poll", "ack",
           "execute_null_sink", "execute_metrics_sink", "ingest_raw", "ingest_moldudp64"]

# Rows of the table: (row, formula over kernels as {kernel: sign}, what the design requires there).
ROWS = [
    ("rx burst", {"rx": 1},
     "one call per burst of 32 into the source; a view per frame (null PMD stand-in: SyntheticSource)"),
    ("stamp + stage bookkeeping", {"ingest_raw": 1, "rx": -1, "decode_raw": -1},
     "one TSC read per burst (rx), one per publish, counters once per burst, each frame's view "
     "and the burst's writer copied into locals (they stay in registers across the slot stores); "
     "remainder of Ingest/raw after rx and decode (the decode rows hold the slot writes and the publish)"),
    ("decode raw", {"decode_raw": 1},
     "one event per frame: feed counter, lengths, first 8 payload bytes, written straight into its "
     "ring slot (7 word stores, after a claim of 64 slots: one per raw burst; the publish stamp is the 8th word, "
     "stored at the publish); per burst: the events counter, the release store of the cursor, the "
     "claim lowered to what was written. All required: the event is one line of atomic words"),
    ("decode moldudp64", {"decode_moldudp64": 1},
     "per frame: Ethernet/IPv4/UDP checks, session lookup, sequence verdict (the frame's numbers "
     "marked a word at a time), the frame's stamps taken once; per message: one walk step that "
     "checks the block, then writes its event straight into its ring slot (validate-as-you-emit: "
     "a broken block retracts the frame's events before anything is published, so a malformed "
     "frame still yields none); per burst: counter, release store, claim. Per-event cost = "
     "per-frame / 4 + per-message. All required, except ~5 per message of GCC reloading spilled "
     "values (the walk keeps ~20 values live in 15 registers)"),
    ("publish", {"publish": 1},
     "the ring's publish_burst of an event built elsewhere, as other producers use it (Publish/ "
     "benchmarks against rte_ring): per event 8 loads and 8 stores (unrolled); per burst the claim "
     "and one release store. Not on the ingest path any more (the stage writes each event into "
     "its slot: decode rows); kept as the base of the poll row"),
    ("poll", {"publish_poll": 1, "publish": -1},
     "per batch: a TSC read (the poll stamp), an acquire load of the cursor, the overrun re-check "
     "(one load of claimed), two counters; per event: 8 word loads into the batch (unrolled); "
     "all required by the lap check"),
    ("decide", {"execute_null_sink": 1, "ack": -1},
     "the decision stamp (one TSC read per event, after the previous sink: required, or one "
     "event's decision stage would hold another's sink), per-batch counters"),
    ("ack", {"ack": 1},
     "one relaxed lifecycle load, the ack built in place, the completion stamp (one TSC read: "
     "required, the ack stage ends at its own event's completion)"),
    ("execution with NullSink (decide + ack + sink)", {"execute_null_sink": 1},
     "NullSink inlines to nothing: this row is decide + ack"),
    ("sink: MetricsSink over NullSink", {"execute_metrics_sink": 1, "execute_null_sink": -1},
     "per event: the in-window test, the degraded count, three data tests (send, NIC and wall "
     "stamps: 0 here), then one record per stage the summary reports (ingest_to_ack, queue, "
     "decision, ack), each ~24: subtract with the borrow as the negative test (3), saturation "
     "clamp (2), the bucket's index and address with one bsr, sub_bucket_bits a compile-time "
     "constant (9), count (3), exact sum (3), exact min and max against the writer's plain "
     "copies (2 + 2; a store only when an extreme moves). All required: min, max and sum are "
     "what makes max and mean exact, not bucket-rounded"),
    ("ingest raw, end to end", {"ingest_raw": 1}, "rx + stamp + decode raw (into the slot, published)"),
    ("ingest moldudp64, end to end", {"ingest_moldudp64": 1},
     "rx + stamp + decode moldudp64 (into the slots, published; 4 events per frame)"),
]


def fail(message):
    print(f"cycle_budget: {message}", file=sys.stderr)
    sys.exit(1)


def measure_instructions(driver, events, valgrind="valgrind"):
    """Instructions per event of every kernel: inclusive Ir of its function / events it ran."""
    with tempfile.TemporaryDirectory(prefix="cycle-budget-") as tmp:
        out = os.path.join(tmp, "callgrind.out")
        run = subprocess.run([valgrind, "--tool=callgrind", f"--callgrind-out-file={out}",
                              driver, str(events)], capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"{driver} under callgrind exited {run.returncode}:\n{run.stderr[-2000:]}")
        ran = {}
        for line in run.stdout.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "kernel":
                ran[parts[1]] = int(parts[2])
        annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                                  capture_output=True, text=True)
        if annotate.returncode != 0:
            fail(f"callgrind_annotate failed:\n{annotate.stderr[-2000:]}")
    inclusive = {}
    pattern = re.compile(r"^\s*([\d,]+)\s.*budget::kernel_(\w+)\(")
    for line in annotate.stdout.splitlines():
        m = pattern.match(line)
        if m and m.group(2) not in inclusive:
            inclusive[m.group(2)] = int(m.group(1).replace(",", ""))
    missing = [k for k in KERNELS if k not in inclusive or k not in ran]
    if missing:
        fail(f"no callgrind figure or event count for kernel(s) {', '.join(missing)}: "
             "was a kernel inlined or renamed?")
    return {k: inclusive[k] / ran[k] for k in KERNELS}


def measure_ns(bench, repetitions=3):
    """ns per event of every kernel from one tickpath_bench run (the median of its repetitions)."""
    run = subprocess.run([bench, "--benchmark_filter=^Budget/", "--benchmark_format=json",
                          f"--benchmark_repetitions={repetitions}", "--benchmark_report_aggregates_only=true",
                          "--benchmark_min_time=0.2"], capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"{bench} exited {run.returncode}:\n{run.stderr[-2000:]}")
    data = json.loads(run.stdout)
    ns = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"].split("/", 1)[1]
        ns[name] = 1e9 / b["items_per_second"]
    missing = [k for k in KERNELS if k not in ns]
    if missing:
        fail(f"tickpath_bench reported no Budget/ figure for {', '.join(missing)}")
    return ns, data["context"]


def row_values(per_kernel):
    return [sum(sign * per_kernel[k] for k, sign in formula.items()) for _, formula, _ in ROWS]


def render_table(budget):
    ir = row_values(budget["instructions_per_event"])
    ns = row_values(budget["ns_per_event"])
    ghz = budget["tsc_ghz"]
    lines = [
        "| step | what the design requires there | instructions/event | ns/event | TSC cycles/event |",
        "|---|---|---:|---:|---:|",
    ]
    for (name, formula, requires), i, n in zip(ROWS, ir, ns):
        lines.append(f"| {name} | {requires} | {i:.1f} | {n:.2f} | {n * ghz:.1f} |")
    rec = budget["recorded_with"]
    lines.append("")
    lines.append(f"Recorded with {rec['compiler']}, buildtype {rec['buildtype']}, {rec['events']} events per "
                 f"kernel; ns from one tickpath_bench run (median of 3), TSC {ghz:.3f} GHz, "
                 f"{budget['allowed_cpus']} CPUs allowed.")
    return "\n".join(lines)


def write_doc(doc, table):
    text = open(doc, encoding="utf-8").read()
    if TABLE_BEGIN not in text or TABLE_END not in text:
        fail(f"{doc} has no '{TABLE_BEGIN}' ... '{TABLE_END}' markers to put the table between")
    head, rest = text.split(TABLE_BEGIN, 1)
    _, tail = rest.split(TABLE_END, 1)
    with open(doc, "w", encoding="utf-8") as f:
        f.write(f"{head}{TABLE_BEGIN}\n{table}\n{TABLE_END}{tail}")


def record(args):
    ir = measure_instructions(args.driver, args.events)
    ns, context = measure_ns(args.bench)
    budget = {
        "recorded_with": {"compiler": args.compiler, "buildtype": args.buildtype, "events": args.events},
        "tolerance": TOLERANCE,
        "instructions_per_event": {k: round(ir[k], 3) for k in KERNELS},
        "ns_per_event": {k: round(ns[k], 3) for k in KERNELS},
        "tsc_ghz": float(context.get("tsc_ghz", 0)),
        "allowed_cpus": int(context.get("allowed_cpus", 0)),
    }
    with open(args.budget, "w", encoding="utf-8") as f:
        json.dump(budget, f, indent=2)
        f.write("\n")
    table = render_table(budget)
    if args.doc:
        write_doc(args.doc, table)
    print(table)


def check(args):
    if shutil.which("valgrind") is None or shutil.which("callgrind_annotate") is None:
        print("valgrind is not installed (scripts/install-deps.sh installs it): skipping the budget check")
        sys.exit(77)
    budget = json.load(open(args.budget, encoding="utf-8"))
    rec = budget["recorded_with"]
    if rec["compiler"] != args.compiler:
        fail(f"the budget was recorded with {rec['compiler']}, this build uses {args.compiler}: instruction "
             "counts of different compilers are not comparable. Re-record it from this build with "
             "scripts/cycle-budget.sh if this compiler is the new reference.")
    ir = measure_instructions(args.driver, rec["events"])
    # --scale < 1 plants a violation (the budget as if every step had been that much cheaper):
    # the positive control that proves the check can fail.
    recorded = {k: v * args.scale for k, v in budget["instructions_per_event"].items()}
    tolerance = budget.get("tolerance", TOLERANCE)
    now_rows = row_values(ir)
    then_rows = row_values(recorded)
    grown = []
    print(f"{'step':48} {'budget':>9} {'now':>9}  instructions/event")
    for (name, _, _), then, now in zip(ROWS, then_rows, now_rows):
        over = now > then * (1 + tolerance) and now - then > ABSOLUTE_FLOOR
        print(f"{name:48} {then:9.1f} {now:9.1f}{'  GREW' if over else ''}")
        if over:
            grown.append(f"{name}: {then:.1f} -> {now:.1f} instructions/event (+{(now / then - 1) * 100 if then else 0:.0f}%)")
    if grown:
        fail("steps grew by more than {:.0f}% over the recorded budget (bench/cycle_budget.json):\n  {}\n"
             "Make them cheaper, or, if the growth is the price of something the design requires, "
             "re-record with scripts/cycle-budget.sh and say why in the commit.".format(
                 tolerance * 100, "\n  ".join(grown)))
    print(f"every step within {tolerance * 100:.0f}% of the recorded budget")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("record")
    r.add_argument("--driver", required=True)
    r.add_argument("--bench", required=True)
    r.add_argument("--budget", required=True)
    r.add_argument("--doc")
    r.add_argument("--compiler", required=True)
    r.add_argument("--buildtype", required=True)
    r.add_argument("--events", type=int, default=DEFAULT_EVENTS)
    c = sub.add_parser("check")
    c.add_argument("--driver", required=True)
    c.add_argument("--budget", required=True)
    c.add_argument("--compiler", required=True)
    c.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    record(args) if args.command == "record" else check(args)


if __name__ == "__main__":
    main()
