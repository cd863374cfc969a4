#!/usr/bin/env python3
"""The appliance as a process: where every one of its threads runs, what telemetry's health reply
looks like, what a clean run leaves behind, the exit code of every kind of bad usage, --version,
and the config a --repeat child records.

Run by meson (suite `integration`) as: process_test.py <tickpath binary> <source root>.
"""
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import tickpath_run_test as harness

FAST = ["--set", "warmup.steps=1000", "--set", "preflight.jitter_s=0.05", "--set", "preflight.c2c_samples=2000"]


def cpu_list(text):
    """'0,2-3' -> {0, 2, 3}, as /proc/<pid>/status writes Cpus_allowed_list."""
    out = set()
    for part in text.strip().split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def planned_threads(args):
    """`tickpath topology`'s "threads:" block for the same config: [(name, cpu)]."""
    r = harness.run_tickpath("topology", *args)
    if r.returncode != 0:
        raise AssertionError(r.stdout + r.stderr)
    lines = r.stdout.split("threads:\n", 1)[1].splitlines()
    return [(m.group(1), int(m.group(2))) for m in (re.match(r"  (\S+)\s+cpu (\d+)", l) for l in lines) if m]


def threads_of(pid):
    """{tid: (comm, allowed cpus)} of a live process; threads that end while read are skipped."""
    out = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/task/{task}/status") as f:
                allowed = next(l for l in f if l.startswith("Cpus_allowed_list:")).split(":", 1)[1]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
        out[int(task)] = (comm, cpu_list(allowed))
    return out


def wait_for_line(p, prefix, timeout=60):
    seen = ""
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = p.stdout.readline()
        if not line:
            break
        seen += line
        if line.startswith(prefix):
            return seen
    raise AssertionError(f"no line starting with {prefix!r}:\n{seen[-3000:]}")


class LiveAppliance(unittest.TestCase):
    def test_no_thread_but_the_hot_ones_runs_on_a_hot_cpu_and_each_is_where_the_plan_says(self):
        config = ["--set", 'eal.hugepages="off"', *FAST]
        plan = planned_threads(config)
        hot = {cpu for name, cpu in plan if name.startswith("tp-pmd-") and "-jit" not in name and "-c2c" not in name}
        housekeeping = {cpu for name, cpu in plan if name == "tickpath"}
        if hot & housekeeping:
            self.skipTest(f"one cpu only: hot and housekeeping share cpu {sorted(hot)}")
        prefix = f"tp-proc{os.getpid()}"
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.Popen([harness.BINARY, "run", "--duration", "30", "--report-dir", tmp, *config,
                                  "--set", f'eal.file_prefix="{prefix}"', "--set", 'http.listen="127.0.0.1:0"'],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                wait_for_line(p, "t=")  # the pipeline runs: every long-lived thread exists
                seen = {}
                for _ in range(10):  # io_uring's workers come and go: look several times
                    for tid, (comm, allowed) in threads_of(p.pid).items():
                        seen[(tid, comm)] = allowed
                    time.sleep(0.1)
                health = self.telemetry_health(prefix)
            finally:
                p.send_signal(signal.SIGTERM)
                out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, out[-2000:] + err[-2000:])

        planned = dict(plan)
        names = {comm for _, comm in seen}
        # Not vacuous: DPDK's own control threads and ours were all there to be checked.
        for expected in ("eal-intr-thread", "rte_mp_handle", "telemetry-v2", "tp-pmd-hot" if len(hot) == 1 else "tp-pmd-ingest",
                         "tp-analytics", "tp-http"):
            self.assertIn(expected, names, f"{expected} not running; saw {sorted(names)}")
        for (tid, comm), allowed in seen.items():
            name = "tickpath" if tid == p.pid else ("iou-wrk-*" if comm.startswith("iou-wrk-") else comm)
            self.assertIn(name, planned, f"thread {comm} ({tid}) is not in `tickpath topology`'s list: {plan}")
            self.assertEqual(allowed, {planned[name]}, f"thread {comm} may run on cpus {sorted(allowed)}, "
                                                       f"planned cpu {planned[name]}")
            if not comm.startswith("tp-pmd-"):
                self.assertFalse(allowed & hot, f"thread {comm} may run on hot cpu(s) {sorted(allowed & hot)}")
        if health is not None:
            # Structured, not a string: the names, then each probe's own status and reason. The
            # statuses depend on the machine (a lapped analytics consumer warns), their worst is
            # the top-level one.
            self.assertIsInstance(health["probes"], list)
            self.assertIn("feed_stale", health["probes"])
            order = ["ok", "warn", "fail"]
            for probe in health["probes"]:
                self.assertEqual(set(health[probe]), {"status", "reason"}, health)
                self.assertIn(health[probe]["status"], order)
            worst = max((health[probe]["status"] for probe in health["probes"]), key=order.index)
            self.assertEqual(health["status"], worst, health)

    def telemetry_health(self, prefix):
        """/tickpath/health through DPDK's own client, or None when it is not installed."""
        client = shutil.which("dpdk-telemetry.py")
        if not client:
            return None
        t = subprocess.run([client, "-f", prefix], input="/tickpath/health\n", capture_output=True, text=True, timeout=30)
        line = next((l for l in t.stdout.splitlines() if l.startswith('{"/tickpath/health"')), None)
        self.assertIsNotNone(line, t.stdout + t.stderr)
        return json.loads(line)["/tickpath/health"]


class CleanExit(unittest.TestCase):
    def test_a_clean_run_on_hugepages_leaves_no_hugepage_file(self):
        if os.geteuid() != 0:
            self.skipTest("not root: cannot reserve hugepages")
        res = harness.hugepages_script("reserve", "512")
        if res.returncode != 0:
            self.skipTest("hugepages could not be reserved: " + res.stderr.strip())
        with open("/proc/mounts") as f:
            mounts = [l.split()[1] for l in f if l.split()[2] == "hugetlbfs"]
        prefix = f"tp-huge{os.getpid()}"
        with tempfile.TemporaryDirectory() as tmp:
            r = harness.run_tickpath("run", "--duration", "1", "--report-dir", tmp, "--set", 'eal.hugepages="required"',
                                     "--set", f'eal.file_prefix="{prefix}"', *FAST)
            if r.returncode == 1 and "hugepages" in r.stderr:
                self.skipTest("another test released the hugepages meanwhile: " + r.stderr.strip())
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            self.assertTrue(harness.load_summary(r.stdout)["platform"]["hugepages"])
        left = [f for m in mounts for f in glob.glob(os.path.join(m, prefix + "*"))]
        self.assertEqual(left, [])


class BadUsage(unittest.TestCase):
    def assert_usage_error(self, *args, naming):
        r = harness.run_tickpath(*args, timeout=120)
        self.assertEqual(r.returncode, 2, f"{args}: {r.stdout[-1000:]}{r.stderr[-1000:]}")
        self.assertIn(naming, r.stderr, args)
        self.assertNotIn("EAL: ", r.stdout + r.stderr, f"{args}: the EAL started")

    def test_a_report_folder_that_cannot_be_made_exits_2_naming_it_in_every_command(self):
        self.assert_usage_error("run", "--report-dir", "/proc/nope", naming="/proc/nope")
        self.assert_usage_error("run", "--repeat", "2", "--report-dir", "/proc/nope", naming="/proc/nope")
        self.assert_usage_error("jitter", "--duration", "0.01", "--report-dir", "/proc/nope", naming="/proc/nope")
        self.assert_usage_error("sweep", "--vary", "ring.capacity=4096,8192", "--report-dir", "/proc/nope", naming="/proc/nope")

    def test_an_existing_run_folder_exits_2(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_usage_error("run", "--run-folder", tmp, naming="already exists")

    def test_a_folder_that_is_not_a_run_exits_2_in_report_and_compare(self):
        with tempfile.TemporaryDirectory() as tmp:
            self.assert_usage_error("report", tmp, naming=tmp)
            self.assert_usage_error("compare", tmp, tmp, naming=tmp)

    def test_an_unknown_option_or_subcommand_exits_2(self):
        self.assert_usage_error("run", "--no-such-option", naming="--no-such-option")
        self.assert_usage_error("frobnicate", naming="frobnicate")


class Version(unittest.TestCase):
    def test_version_prints_the_version_and_the_commit_it_was_built_from(self):
        r = subprocess.run([harness.BINARY, "--version"], capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        m = re.fullmatch(r"tickpath (\d+\.\d+\.\d+) \(git (\S+)\)\n", r.stdout)
        self.assertIsNotNone(m, r.stdout)
        git = subprocess.run(["git", "-C", harness.SOURCE_ROOT, "rev-parse", "HEAD"], capture_output=True, text=True)
        if git.returncode != 0:
            self.skipTest("source tree is not a git checkout")
        # describe: <hash> or <tag>-<n>-g<hash>, maybe -dirty: a commit of this checkout's history
        # (HEAD itself in CI; an earlier one when commits were made since the last build).
        short = re.sub(r"-dirty$", "", m.group(2)).rsplit("-g", 1)[-1]
        ancestor = subprocess.run(["git", "-C", harness.SOURCE_ROOT, "merge-base", "--is-ancestor", short, "HEAD"],
                                  capture_output=True, text=True)
        self.assertEqual(ancestor.returncode, 0, (m.group(2), ancestor.stderr))


class RepeatChildren(unittest.TestCase):
    def test_each_repeated_runs_config_names_the_folder_it_really_wrote_to(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = harness.run_tickpath("run", "--repeat", "2", "--duration", "1", "--report-dir", tmp,
                                     "--set", 'eal.hugepages="off"', *FAST, timeout=300)
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            folder = [l for l in r.stdout.splitlines() if l.startswith("report: ")][-1].split("report: ", 1)[1]
            for run in ("run-1", "run-2"):
                with open(os.path.join(folder, run, "summary.json")) as f:
                    recorded = json.load(f)["config"]["report"]["dir"]
                self.assertEqual(os.path.realpath(recorded), os.path.realpath(folder), run)


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
