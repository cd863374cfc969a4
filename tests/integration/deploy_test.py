#!/usr/bin/env python3
"""Integration tests of tickpath as a deployed service: the sd_notify protocol against /readyz,
the Grafana dashboard's and the alert rules' metrics against /metrics of a real run, promtool on
the rules, the generated man page and bash completion against --help, `--version`, and the
service files `tickpath topology --systemd / --tuned` writes.

Run by meson (suite `integration`) as:
  deploy_test.py <tickpath> <source root> <tickpath.1> <bash completion>
No timed assertion: the sd_notify checks are about order, not durations.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import tickpath_run_test as harness

MAN_PAGE = None
COMPLETION = None


def start_run(*args, env=None):
    """A background `tickpath run` on the null PMD; returns (process, http port, stdout so far)."""
    cmd = [harness.BINARY, *harness.isolated_run_args(["run", "--set", 'eal.hugepages="off"',
                                                        "--set", "preflight.jitter_s=0", "--set", "preflight.c2c_samples=0",
                                                        *args])]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    seen, port = "", None
    deadline = time.time() + 120
    while time.time() < deadline and port is None:
        line = p.stdout.readline()
        if not line and p.poll() is not None:
            break
        seen += line
        if line.startswith("http: listening"):
            port = int(line.rsplit("port ", 1)[1].rstrip(")\n"))
    if port is None:
        p.kill()
        out, err = p.communicate()
        raise AssertionError("no 'http: listening' line\n" + (seen + out)[-3000:] + err[-3000:])
    return p, port, seen


def finish(p, seen):
    out, err = p.communicate(timeout=120)
    return p.returncode, seen + out, err


class NotifySocket:
    """An AF_UNIX datagram socket like systemd's: every message with the time it arrived."""

    def __init__(self, folder):
        self.path = os.path.join(folder, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(0.2)
        self.messages = []  # (monotonic time received, text)
        self.done = False
        self.thread = threading.Thread(target=self._receive, daemon=True)
        self.thread.start()

    def _receive(self):
        while not self.done:
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            self.messages.append((time.monotonic(), data.decode()))

    def close(self):
        self.done = True
        self.thread.join()
        self.sock.close()

    def first(self, text):
        return next((t for t, m in self.messages if m == text), None)


class SdNotify(unittest.TestCase):
    def test_ready_status_watchdog_stopping_arrive_in_order_and_agree_with_readyz(self):
        with tempfile.TemporaryDirectory() as tmp:
            notify = NotifySocket(tmp)
            env = dict(os.environ, NOTIFY_SOCKET=notify.path, WATCHDOG_USEC="2000000")
            # Paced so warmup (6000 events at 2000/s) lasts long enough to see /readyz say 503.
            p, port, seen = start_run("--duration", "30", "--rate", "2000", "--report-dir", tmp,
                                      "--set", "warmup.steps=6000", env=env)
            probes = []  # (request start, response end, status)
            try:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    start = time.monotonic()
                    status, _ = harness.http("GET", port, "/readyz")
                    probes.append((start, time.monotonic(), status))
                    ready_at = notify.first("READY=1")
                    if ready_at is not None and start > ready_at + 3.0:
                        break  # a few intervals of READY seen
                    time.sleep(0.05)
            finally:
                p.send_signal(signal.SIGTERM)
                rc, out, err = finish(p, seen)
                time.sleep(0.3)
                notify.close()
            self.assertEqual(rc, 0, out[-2000:] + err[-2000:])
            texts = [m for _, m in notify.messages]
            self.assertEqual(texts.count("READY=1"), 1, texts)
            self.assertEqual(texts.count("STOPPING=1"), 1, texts)
            self.assertEqual(texts[-1], "STOPPING=1", "nothing is sent after STOPPING=1")
            ready_i = texts.index("READY=1")
            statuses = [(i, m) for i, m in enumerate(texts) if m.startswith("STATUS=")]
            self.assertTrue(statuses, texts)
            for i, m in statuses:
                self.assertRegex(m, r"^STATUS=(INIT|WARMUP|READY|DEGRADED), \d+ events/s$")
                if i < ready_i:
                    self.assertNotIn("READY", m, f"a STATUS said READY before READY=1: {texts}")
                else:
                    self.assertTrue(m.startswith("STATUS=READY, "), f"no failure was injected: {texts}")
            self.assertIn("WATCHDOG=1", texts, "hot threads progressed (paced: idle polls), so the watchdog was fed")
            ready_at, stopping_at = notify.first("READY=1"), notify.first("STOPPING=1")
            before = [s for start, end, s in probes if end < ready_at]
            after = [s for start, end, s in probes if start > ready_at and end < stopping_at]
            self.assertIn(503, before, f"/readyz said 503 during warmup, before READY=1: {probes[:5]}")
            self.assertTrue(after, "no /readyz probe between READY=1 and STOPPING=1")
            self.assertEqual(set(after), {200}, "after READY=1 /readyz says ready until shutdown")
            s = harness.load_summary(out)
            self.assertEqual(s["platform"]["systemd_notify"], {"active": True, "errors": []})

    def test_without_notify_socket_the_run_sends_nothing_and_says_so(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
            r = subprocess.run([harness.BINARY, *harness.isolated_run_args(
                ["run", "--duration", "1", "--report-dir", tmp, "--set", 'eal.hugepages="off"',
                 "--set", "warmup.steps=1000"])], capture_output=True, text=True, env=env, timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            self.assertEqual(harness.load_summary(r.stdout)["platform"]["systemd_notify"], {"active": False, "errors": []})


def metric_names(expr):
    names = set(re.findall(r"\b(tickpath_[a-z0-9_]+)\b", expr))
    return names


def exported_names(body):
    return {m.group(1) for m in re.finditer(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )", body, re.M)}


class Monitoring(unittest.TestCase):
    metrics = None

    @classmethod
    def setUpClass(cls):
        tmp = tempfile.mkdtemp()
        try:
            p, port, seen = start_run("--duration", "30", "--report-dir", tmp, "--set", "warmup.steps=1000")
            try:
                body = ""
                for _ in range(200):  # until the first interval has evaluated the health probes
                    status, body = harness.http("GET", port, "/metrics")
                    if status == 200 and "tickpath_health_status" in body and "tickpath_ready 1" in body:
                        break
                    time.sleep(0.1)
                cls.metrics = body
            finally:
                p.send_signal(signal.SIGTERM)
                finish(p, seen)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_every_metric_the_dashboard_queries_is_exported_by_a_real_run(self):
        with open(os.path.join(harness.SOURCE_ROOT, "config", "grafana", "tickpath.json")) as f:
            dashboard = json.load(f)
        exprs = []

        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("expr"), str):
                    exprs.append(node["expr"])
                if isinstance(node.get("definition"), str):
                    exprs.append(node["definition"])
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(dashboard)
        used = set().union(*(metric_names(e) for e in exprs))
        self.assertGreaterEqual(len(used), 15, used)
        missing = sorted(used - exported_names(self.metrics))
        self.assertEqual(missing, [], "dashboard queries metrics /metrics does not export")
        titles = " ".join(p.get("title", "") for p in dashboard["panels"]).lower()
        for panel in ("lifecycle", "events/s", "p50", "p99", "p99.9", "overruns", "drops by reason", "feed gaps", "health"):
            self.assertIn(panel, titles)

    def test_every_metric_the_alert_rules_use_is_exported_and_promtool_accepts_the_rules(self):
        rules = os.path.join(harness.SOURCE_ROOT, "config", "prometheus", "tickpath-rules.yml")
        promtool = shutil.which("promtool")
        self.assertIsNotNone(promtool, "promtool missing: scripts/install-deps.sh installs prometheus")
        r = subprocess.run([promtool, "check", "rules", rules], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("SUCCESS", r.stdout)
        with open(rules) as f:
            text = f.read()
        for alert in ("TickpathNotReady", "TickpathFeedStale", "TickpathRisingLoss", "TickpathP99AboveThreshold"):
            self.assertIn(f"alert: {alert}", text)
        exprs = re.findall(r"expr: \|?\n?((?:.*\n)*?)\s+(?:for|labels):", text)
        used = set().union(*(metric_names(e) for e in exprs))
        self.assertGreaterEqual(len(used), 8, used)
        self.assertEqual(sorted(used - exported_names(self.metrics)), [])
        config = os.path.join(harness.SOURCE_ROOT, "config", "prometheus", "prometheus.yml")
        r = subprocess.run([promtool, "check", "config", config], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


def cli():
    r = subprocess.run([sys.executable, os.path.join(harness.SOURCE_ROOT, "scripts", "cli-docs.py"), "json", harness.BINARY],
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def complete(line):
    """What bash completion offers for `line` (the cursor at its end)."""
    script = f"""
source /usr/share/bash-completion/bash_completion
source {COMPLETION}
COMP_LINE={line!r}
COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_tickpath
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    return r.stdout.split()


class CommandLine(unittest.TestCase):
    def test_version_prints_the_project_version_and_the_commit(self):
        r = subprocess.run([harness.BINARY, "--version"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertRegex(r.stdout.strip(), r"^tickpath \d+\.\d+\.\d+ \((?:git )?(?:[0-9a-f]{7,}|v?[\w.\-]+)(?:-dirty)?\)$")

    def test_man_page_documents_every_subcommand_and_option_of_help(self):
        with open(MAN_PAGE) as f:
            man = f.read().replace("\\-", "-")
        spec = cli()
        self.assertGreaterEqual(len(spec["subcommands"]), 10)
        for sub in spec["subcommands"]:
            self.assertIn(f".SS \\fBtickpath {sub['name']}\\fR", man)
            for o in sub["options"]:
                for name in re.findall(r"--[a-z0-9-]+", o["name"]):
                    self.assertIn(name, man, f"{sub['name']} {name}")
        self.assertIn("--version", man)
        self.assertIn(".SH EXIT STATUS", man)

    def test_bash_completion_offers_subcommands_options_and_config_keys_for_set(self):
        if not os.path.exists("/usr/share/bash-completion/bash_completion"):
            self.skipTest("bash-completion not installed (scripts/install-deps.sh installs it)")
        r = subprocess.run(["bash", "-n", COMPLETION], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        spec = cli()
        self.assertEqual(set(complete("tickpath ")) - {"-h", "--help", "--version"},
                         {s["name"] for s in spec["subcommands"]})
        self.assertIn("topology", complete("tickpath top"))
        run_opts = {n for o in next(s for s in spec["subcommands"] if s["name"] == "run")["options"]
                    for n in re.findall(r"--[a-z0-9-]+", o["name"])}
        self.assertEqual(set(complete("tickpath run --")), run_opts)
        self.assertEqual(complete("tickpath run --set ring.cap"), ["ring.capacity="])
        self.assertIn("warmup.steps=", complete("tickpath sweep --vary warm"))
        self.assertIn("--tuned", complete("tickpath topology --tu"))


def expand(cpu_list):
    """"0-2,5" -> {0, 1, 2, 5}."""
    out = set()
    for part in cpu_list.strip().split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


class ServiceFiles(unittest.TestCase):
    def plan_cpus(self):
        """The hot cpus of the plan `tickpath topology` prints (the same config, no overrides)."""
        r = subprocess.run([harness.BINARY, "topology"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        cpus = {}
        for role in ("ingest", "execution"):
            m = re.search(rf"^\s*{role}\s.*?cpu\s*(\d+)", r.stdout, re.M)
            self.assertIsNotNone(m, r.stdout)
            cpus[role] = int(m.group(1))
        return cpus["ingest"], cpus["execution"]

    def test_systemd_dropin_and_tuned_profile_follow_the_core_plan(self):
        with tempfile.TemporaryDirectory() as tmp:
            dropin = os.path.join(tmp, "tickpath.service.d", "cpu-affinity.conf")
            tuned = os.path.join(tmp, "tickpath-cpu-partitioning")
            r = subprocess.run([harness.BINARY, "topology", "--systemd", dropin, "--tuned", tuned],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "", "with --systemd/--tuned to files nothing else is printed")
            with open(dropin) as f:
                d = f.read()
            with open(os.path.join(tuned, "tuned.conf")) as f:
                t = f.read()
            m = re.search(r"^CPUAffinity=(.+)$", d, re.M)
            self.assertIsNotNone(m, d)
            hot = re.search(r"^isolated_cores=(.+)$", t, re.M).group(1)
            self.assertIn(f"no_balance_cores={hot}\n", t)
            self.assertIn("include=cpu-partitioning\n", t)
            ingest, execution = self.plan_cpus()
            self.assertEqual(expand(hot), {ingest, execution}, "isolated_cores are the plan's hot cpus")
            housekeeping = expand(m.group(1))
            every_cpu = {int(c[3:]) for c in os.listdir("/sys/devices/system/cpu") if re.fullmatch(r"cpu\d+", c)}
            if every_cpu - {ingest, execution}:
                self.assertEqual(housekeeping, every_cpu - {ingest, execution}, d)
            else:
                self.assertIn("Warning: too few cpus", d)
            r = subprocess.run([harness.BINARY, "topology", "--tuned", "-"], capture_output=True, text=True)
            self.assertEqual(r.stdout, t, "stdout and file carry the same profile")

    def test_unwritable_dropin_path_is_a_clear_error(self):
        r = subprocess.run([harness.BINARY, "topology", "--systemd", "/proc/no/such/dir/x.conf"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("--systemd", r.stderr)


if __name__ == "__main__":
    harness.BINARY, harness.SOURCE_ROOT, MAN_PAGE, COMPLETION = sys.argv[1:5]
    unittest.main(argv=sys.argv[:1], verbosity=2)
