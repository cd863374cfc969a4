#!/usr/bin/env python3
"""Integration tests of the floor and experiment tools: `tickpath jitter`, `tickpath c2c`, the
run's preflight and idle strategies in summary.json, `tickpath run --repeat` and `tickpath sweep`.

Run by meson (suite `integration`) as: tools_test.py <tickpath binary> <source root>.
No timed assertion: figures are checked for presence, sign and order, layouts for exact counts.
"""
import csv
import glob
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import unittest

import tickpath_run_test as harness

# Short runs: the suite must stay fast. The preflight jitter pass is kept (short) so every test
# also exercises it.
FAST = ["--set", 'eal.hugepages="off"', "--set", "warmup.steps=1000", "--set", "preflight.jitter_s=0.05",
        "--set", "preflight.c2c_samples=2000"]


def isolation():
    """sweep is not `run`, so harness.isolated_run_args leaves it alone: give its children a
    prefix and an ephemeral port here (they are passed through to every child)."""
    harness._RUN_COUNTER[0] += 1
    return ["--set", f'eal.file_prefix="tp-tools{os.getpid()}-{harness._RUN_COUNTER[0]}"',
            "--set", 'http.listen="127.0.0.1:0"']


def tickpath(*args, timeout=300):
    return harness.run_tickpath(*args, timeout=timeout)


def report_folder(stdout):
    lines = [l for l in stdout.splitlines() if l.startswith("report: ")]
    if not lines:
        raise AssertionError("no 'report: <dir>' line in output:\n" + stdout[-3000:])
    return lines[-1].split("report: ", 1)[1].strip()


def allowed_cpus():
    return sorted(os.sched_getaffinity(0))


class Ordered:
    def assert_ordered(self, d, keys):
        values = [d[k] for k in keys]
        self.assertTrue(all(v > 0 for v in values), d)
        self.assertEqual(values, sorted(values), f"not ordered: {d}")


class Jitter(unittest.TestCase, Ordered):
    def test_json_has_every_cpu_with_ordered_gaps_and_is_written_to_a_run_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("jitter", "--duration", "0.3", "--json", "--report-dir", tmp)
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            j = json.loads(r.stdout)
            self.assertEqual([c["cpu"] for c in j["cores"]], allowed_cpus())
            for c in j["cores"]:
                self.assertGreater(c["samples"], 0)
                self.assert_ordered(c, ["min_ns", "p50_ns", "p99_ns", "p99_9_ns", "p99_99_ns", "max_ns"])
                self.assertEqual(set(c["hiccups_by_size"]), {"1us", "10us", "100us", "1ms"})
            folder = report_folder(r.stderr)
            with open(os.path.join(folder, "jitter.json")) as f:
                self.assertEqual(json.load(f)["cores"], j["cores"])
            # One HdrHistogram percentile distribution per measured cpu, its total = the samples.
            for c in j["cores"]:
                with open(os.path.join(folder, f"jitter-cpu{c['cpu']}.hgrm")) as f:
                    text = f.read()
                self.assertRegex(text, r"Value +Percentile +TotalCount +1/\(1-Percentile\)")
                total = int(re.search(r"Total count += +(\d+)\]", text).group(1))
                self.assertEqual(total, c["samples"])

    def test_table_and_bad_cores(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("jitter", "--duration", "0.2", "--cores", str(allowed_cpus()[0]), "--report-dir", tmp)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("p99.99", r.stdout)
            r = tickpath("jitter", "--cores", "4000", "--report-dir", tmp)
            self.assertEqual(r.returncode, 2)
            self.assertIn("cpu 4000", r.stderr)


class C2c(unittest.TestCase, Ordered):
    def test_every_pair_has_ordered_one_way_times(self):
        cpus = allowed_cpus()
        if len(cpus) < 2:
            self.skipTest("one cpu: no pair")
        r = tickpath("c2c", "--samples", "2000", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        j = json.loads(r.stdout)
        self.assertEqual(len(j["pairs"]), len(cpus) * (len(cpus) - 1) // 2)
        for p in j["pairs"]:
            self.assertEqual(p["one_way"]["count"], 2000)
            self.assert_ordered(p["one_way"], ["min_ns", "p50_ns", "p99_ns", "max_ns"])
        table = tickpath("c2c", "--samples", "1000")
        self.assertIn("p50", table.stdout)
        self.assertIn(f"cpu{cpus[1]}", table.stdout)


class RunPreflightAndIdle(unittest.TestCase):
    def test_summary_records_the_floor_and_each_loops_idle_strategy(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("run", "--duration", "1", "--report-dir", tmp, *FAST,
                         "--set", 'cores.idle="spin"', "--set", 'cores.housekeeping_idle="pause"')
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            s = harness.load_summary(r.stdout)
            p = s["platform"]
            self.assertEqual(p["idle"], {"ingest": "spin", "execution": "spin", "analytics": "pause"})
            self.assertEqual({c["name"]: c["idle"] for c in s["consumers"]}, {"execution": "spin", "analytics": "pause"})
            hot = {p["cores"]["ingest"], p["cores"]["execution"]}
            self.assertEqual({c["cpu"] for c in p["jitter"]["cores"]}, hot)
            if len(hot) == 1:
                self.assertIsNone(p["c2c_ns"])
                self.assertTrue(p["c2c"]["same_cpu"])
                self.assertIn("share cpu", r.stdout)
            else:
                self.assertGreater(p["c2c_ns"], 0)

    def test_c2c_between_separate_hot_cpus_and_ingest_to_ack_as_a_multiple(self):
        cpus = allowed_cpus()
        if len(cpus) < 2:
            self.skipTest("one cpu")
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("run", "--duration", "1", "--report-dir", tmp, *FAST,
                         "--set", f"cores.ingest={cpus[0]}", "--set", f"cores.execution={cpus[1]}",
                         "--set", f"cores.housekeeping={cpus[0]}")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            s = harness.load_summary(r.stdout)
            self.assertGreater(s["platform"]["c2c_ns"], 0)
            self.assertEqual(s["platform"]["c2c"]["one_way"]["p50_ns"], s["platform"]["c2c_ns"])
            self.assertRegex(r.stdout, r"ingest_to_ack p50 \S+ = [0-9.]+x c2c")

    def test_preflight_off_leaves_null_figures(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("run", "--duration", "1", "--report-dir", tmp, "--set", 'eal.hugepages="off"',
                         "--set", "preflight.jitter_s=0", "--set", "preflight.c2c_samples=0")
            self.assertEqual(r.returncode, 0, r.stderr[-2000:])
            p = harness.load_summary(r.stdout)["platform"]
            self.assertIsNone(p["jitter"])
            self.assertIsNone(p["c2c_ns"])
            self.assertTrue(p["c2c"]["skipped"])

    def test_backoff_for_hot_threads_is_rejected_before_anything_starts(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("run", "--report-dir", tmp, "--set", 'cores.idle="backoff"')
            self.assertEqual(r.returncode, 2)
            self.assertIn("cores.idle", r.stderr)
            self.assertIn("housekeeping", r.stderr)
            self.assertEqual(os.listdir(tmp), [])


class Repeat(unittest.TestCase):
    def test_repeat_two_gives_two_run_folders_and_an_aggregate(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("run", "--repeat", "2", "--duration", "1", "--report-dir", tmp, *FAST)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-2000:])
            folder = report_folder(r.stdout)
            self.assertEqual(sorted(os.listdir(folder)), ["aggregate.json", "run-1", "run-2"])
            published = []
            for run in ("run-1", "run-2"):
                with open(os.path.join(folder, run, "summary.json")) as f:
                    published.append(json.load(f)["events"]["published"])
            with open(os.path.join(folder, "aggregate.json")) as f:
                agg = json.load(f)
            self.assertEqual((agg["runs_planned"], agg["runs_completed"], agg["interrupted_by"]), (2, 2, ""))
            m = agg["metrics"]["events.published"]
            self.assertEqual(sorted(m["values"]), sorted(published))
            self.assertEqual((m["n"], m["min"], m["max"]), (2, min(published), max(published)))
            self.assertAlmostEqual(m["mean"], sum(published) / 2)
            lat = agg["metrics"]["latency.ingest_to_ack.p99_ns"]
            self.assertLessEqual(lat["min"], lat["mean"])
            self.assertLessEqual(lat["mean"], lat["max"])
            self.assertGreaterEqual(lat["stddev"], 0)
            self.assertIn("2 of 2 runs completed", r.stdout)


class Sweep(unittest.TestCase):
    def test_two_values_times_two_repeats_give_four_folders_four_rows_two_combinations(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("sweep", "--vary", "ingest.burst=8,32", "--repeat", "2", "--duration", "1",
                         "--report-dir", tmp, *FAST, *isolation())
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-2000:])
            folder = report_folder(r.stdout)
            runs = sorted(glob.glob(os.path.join(folder, "*", "run-*", "summary.json")))
            self.assertEqual(len(runs), 4, runs)
            self.assertEqual(sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d))),
                             ["ingest.burst=32", "ingest.burst=8"])
            for run in runs:
                with open(run) as f:
                    s = json.load(f)
                burst = os.path.basename(os.path.dirname(os.path.dirname(run))).split("=")[1]
                self.assertEqual(s["config"]["ingest"]["burst"], int(burst))
            with open(os.path.join(folder, "sweep.csv")) as f:
                rows = list(csv.DictReader(f))
            self.assertEqual(len(rows), 4)
            self.assertEqual(sorted((row["ingest.burst"], row["repeat"]) for row in rows),
                             [("32", "1"), ("32", "2"), ("8", "1"), ("8", "2")])
            self.assertTrue(all(float(row["events_per_s"]) > 0 for row in rows))
            with open(os.path.join(folder, "sweep.json")) as f:
                j = json.load(f)
            self.assertEqual([c["name"] for c in j["combinations"]], ["ingest.burst=8", "ingest.burst=32"])
            self.assertEqual([c["runs_completed"] for c in j["combinations"]], [2, 2])
            # sweep.html: one table row per combination, every run's report linked, nothing external.
            with open(os.path.join(folder, "sweep.html")) as f:
                page = f.read()
            self.assertEqual(page.count("<tr>"), 3, page)  # header + two combinations
            for combo in ("ingest.burst=8", "ingest.burst=32"):
                for k in (1, 2):
                    self.assertIn(f'href="{combo}/run-{k}/report.html"', page)
            self.assertNotIn("http://", page)
            self.assertNotIn("https://", page)
            # The printed table: one row per combination, after its header.
            table = r.stdout.split(" tickpath sweep ")[1]
            rows = [l for l in table.splitlines() if l.startswith(("8 ", "32 "))]
            self.assertEqual(len(rows), 2, table)
            self.assertTrue(all("2/2" in l for l in rows), table)

    def test_string_values_are_quoted_for_the_child(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("sweep", "--vary", "cores.idle=spin,pause", "--duration", "0.5",
                         "--report-dir", tmp, *FAST, *isolation())
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-2000:])
            folder = report_folder(r.stdout)
            for idle in ("spin", "pause"):
                with open(os.path.join(folder, f"cores.idle={idle}", "run-1", "summary.json")) as f:
                    self.assertEqual(json.load(f)["platform"]["idle"]["execution"], idle)

    def test_a_quoted_value_keeps_its_commas(self):
        values = ["net_null0,size=64", "net_null0,size=128"]
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("sweep", "--vary", "port.vdev=" + ",".join(f'"{v}"' for v in values),
                         "--duration", "0.5", "--report-dir", tmp, *FAST, *isolation())
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-2000:])
            with open(os.path.join(report_folder(r.stdout), "sweep.json")) as f:
                j = json.load(f)
            self.assertEqual(j["vary"]["port.vdev"], values)
            ran = [run["folder"] for run in j["runs"]]
            self.assertEqual(len(ran), 2)
            for folder, value in zip(ran, values):
                with open(os.path.join(folder, "summary.json")) as f:
                    self.assertEqual(json.load(f)["config"]["port"]["vdev"], value)

    def test_a_bad_value_is_rejected_before_any_run_starts(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = tickpath("sweep", "--vary", "ingest.burst=8,65", "--report-dir", tmp, *isolation())
            self.assertEqual(r.returncode, 2)
            self.assertIn("ingest.burst=65", r.stderr)
            self.assertEqual(os.listdir(tmp), [])
            r = tickpath("sweep", "--vary", "ingest.brust=8", "--report-dir", tmp)
            self.assertEqual(r.returncode, 2)
            self.assertIn("unknown key 'ingest.brust'", r.stderr)

    def test_sigint_stops_the_sweep_and_keeps_what_finished(self):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [harness.BINARY, "sweep", "--vary", "ingest.burst=8,32", "--repeat", "3", "--duration", "1",
                   "--report-dir", tmp, *FAST, *isolation()]
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            seen = []
            for line in p.stdout:
                seen.append(line)
                if line.startswith("[1/6]"):
                    p.send_signal(signal.SIGINT)
                    break
            rest, _ = p.communicate(timeout=120)
            out = "".join(seen) + rest
            self.assertEqual(p.returncode, 128 + signal.SIGINT, out[-3000:])
            self.assertIn("stopped by SIGINT", out)
            folder = report_folder(out)
            with open(os.path.join(folder, "sweep.json")) as f:
                j = json.load(f)
            self.assertEqual(j["interrupted_by"], "SIGINT")
            self.assertGreaterEqual(j["runs_completed"], 1)
            self.assertLess(j["runs_completed"], 6)
            completed = [r for r in j["runs"] if r["completed"]]
            for r in completed:
                self.assertTrue(os.path.exists(os.path.join(r["folder"], "summary.json")))
            with open(os.path.join(folder, "sweep.csv")) as f:
                self.assertEqual(len(list(csv.DictReader(f))), len(j["runs"]))


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
