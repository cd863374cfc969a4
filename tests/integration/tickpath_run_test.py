#!/usr/bin/env python3
"""Integration tests: the real `tickpath` binary on DPDK's null and pcap PMDs.

Run by meson (suite `integration`) as: tickpath_run_test.py <tickpath binary> <source root>.
Each test starts the appliance as a separate process, like a user would, and checks the exit
code, the printed messages and the invariants of summary.json.
"""
import csv
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest

BINARY = None
SOURCE_ROOT = None
IS_ROOT = os.geteuid() == 0


def hugepages_script(*args):
    return subprocess.run([os.path.join(SOURCE_ROOT, "scripts", "hugepages.sh"), *args],
                          capture_output=True, text=True)


_RUN_COUNTER = [0]


def isolated_run_args(args):
    """Runs of the suite must not collide with another tickpath on the host (a developer's demo,
    a second checkout's suite): each gets its own EAL runtime folder and an ephemeral HTTP port,
    unless the test sets those keys itself."""
    if not args or args[0] != "run":
        return list(args)
    joined = " ".join(args)
    extra = []
    if "eal.file_prefix=" not in joined:
        _RUN_COUNTER[0] += 1
        extra += ["--set", f'eal.file_prefix="tp-it{os.getpid()}-{_RUN_COUNTER[0]}"']
    if "http.listen=" not in joined:
        extra += ["--set", 'http.listen="127.0.0.1:0"']
    if "--" in args:
        cut = args.index("--")
        return [*args[:cut], *extra, *args[cut:]]
    return [*args, *extra]


def run_tickpath(*args, timeout=120, report_dir=None):
    cmd = [BINARY, *isolated_run_args(args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def load_summary(stdout):
    """The run prints the report folder as its last line: `report: <dir>`."""
    lines = [l for l in stdout.splitlines() if l.startswith("report: ")]
    if not lines:
        raise AssertionError("no 'report: <dir>' line in output:\n" + stdout[-3000:])
    folder = lines[-1].split("report: ", 1)[1].strip()
    with open(os.path.join(folder, "summary.json")) as f:
        return json.load(f)


class SummaryChecks:
    def check_invariants(self, s, expect_ready=True):
        ev = s["events"]
        published = ev["published"]
        self.assertGreater(published, 0)
        for c in s["consumers"]:
            self.assertEqual(c["consumed"] + c["lost"], published,
                             f"consumer {c['name']}: consumed + lost != published")
        execution = next(c for c in s["consumers"] if c["name"] == "execution")
        self.assertEqual(ev["executed"] + ev["provisional"], execution["consumed"])
        states = [t["to"] for t in s["lifecycle"]["transitions"]]
        if expect_ready:
            self.assertEqual(states[:2], ["WARMUP", "READY"], s["lifecycle"])
            self.assertEqual(s["lifecycle"]["transitions"][0]["from"], "INIT")
        lat = s["latency"]["ingest_to_ack"]
        self.assertGreater(lat["count"], 0)
        keys = ["min_ns", "p50_ns", "p90_ns", "p99_ns", "p99_9_ns", "p99_99_ns", "max_ns"]
        values = [lat[k] for k in keys]
        self.assertTrue(all(v > 0 for v in values[1:]), lat)
        self.assertEqual(values, sorted(values), f"percentiles not ordered: {lat}")
        for stage in ("queue", "decision", "ack"):
            self.assertIn(stage, s["latency"])
        self.assertGreater(s["throughput"]["events_per_s"], 0)
        # The window (docs/measurement.md): every event published in it is acked or lost, the
        # histograms hold exactly its acks, warmup is apart, and the clock is proven.
        w = s["window"]
        if expect_ready:
            self.assertTrue(w["open"])
            self.assertEqual(w["published"], w["acked"] + w["lost"], w)
            self.assertEqual(lat["count"], w["acked"], "the histograms hold exactly the window's acks")
            self.assertEqual(s["warmup"]["count"] + w["acked"], ev["executed"] + ev["provisional"])
            self.assertLessEqual(w["lost"], execution["lost"])
            self.assertAlmostEqual(s["duration_s"], w["duration_s"])
            self.assertLessEqual(s["duration_s"], s["wall_s"])
            self.assertGreater(s["throughput"]["acked_per_s"], 0)
        clock = s["platform"]["clock"]
        self.assertEqual(clock["reference"], "CLOCK_MONOTONIC_RAW")
        self.assertTrue(clock["invariant_tsc"])
        self.assertLessEqual(clock["error_ppm"], 50)
        self.assertIn("drift_ppm", clock["drift"])


class NullPmdRun(unittest.TestCase, SummaryChecks):
    def run_and_check(self, hugepages_policy):
        with tempfile.TemporaryDirectory() as tmp:
            r = run_tickpath("run", "--duration", "3", "--report-dir", tmp,
                             "--set", f"eal.hugepages=\"{hugepages_policy}\"",
                             "--set", "warmup.steps=10000")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            s = load_summary(r.stdout)
            self.check_invariants(s)
            self.assertEqual(s["lifecycle"]["final"], "READY")
            folder = [l for l in r.stdout.splitlines() if l.startswith("report: ")][-1].split("report: ", 1)[1].strip()
            with open(os.path.join(folder, s["control"]["timeline_file"])) as f:
                timeline = list(csv.DictReader(f))
            self.assertEqual(len(timeline), s["control"]["intervals"])
            self.assertGreaterEqual(len(timeline), 2, timeline)
            self.assertLessEqual(sum(int(t["events"]) for t in timeline), s["events"]["published"])
            self.assertTrue(all(int(t["ingest_to_ack_count"]) > 0 for t in timeline[1:]))
            return r, s

    def test_without_hugepages_warns_and_summary_holds(self):
        r, s = self.run_and_check("off")
        self.assertFalse(s["platform"]["hugepages"])
        self.assertIn("core plan", r.stdout.lower())

    def test_with_hugepages_when_they_can_be_reserved(self):
        if not IS_ROOT:
            self.skipTest("not root: cannot reserve hugepages")
        res = hugepages_script("reserve", "512")
        if res.returncode != 0:
            self.skipTest("hugepages could not be reserved: " + res.stderr.strip())
        r, s = self.run_and_check("required")
        self.assertTrue(s["platform"]["hugepages"])

    def test_auto_without_free_hugepages_falls_back_with_one_warning(self):
        if not IS_ROOT:
            self.skipTest("not root: cannot release hugepages to force the fallback")
        hugepages_script("release")
        with tempfile.TemporaryDirectory() as tmp:
            r = run_tickpath("run", "--duration", "2", "--report-dir", tmp,
                             "--set", "eal.hugepages=\"auto\"")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            out = r.stdout + r.stderr
            self.assertEqual(out.count("--no-huge"), 1, out[-3000:])
            self.assertFalse(load_summary(r.stdout)["platform"]["hugepages"])


class Limits(unittest.TestCase, SummaryChecks):
    def test_event_limit_stops_the_run_after_exactly_that_many_events_give_or_take_a_burst(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run_tickpath("run", "--events", "2000000", "--report-dir", tmp,
                             "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            s = load_summary(r.stdout)
            self.check_invariants(s)
            self.assertEqual(s["shutdown"]["reason"], "events")
            self.assertGreaterEqual(s["events"]["published"], 2_000_000)
            self.assertLess(s["events"]["published"], 2_000_000 + 64)  # one rx burst of overshoot

    def test_rate_paces_ingest_below_the_offered_load(self):
        # Only the upper bound is asserted: pacing may deliver less on a loaded machine, never more.
        with tempfile.TemporaryDirectory() as tmp:
            r = run_tickpath("run", "--rate", "100000", "--duration", "2", "--report-dir", tmp,
                             "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            s = load_summary(r.stdout)
            self.check_invariants(s)
            self.assertLessEqual(s["events"]["published"], 100_000 * s["wall_s"] + 64)
            self.assertEqual(s["config"]["run"]["rate_pps"], 100000)


class NullSink(unittest.TestCase):
    def test_null_sink_runs_the_same_pipeline_and_records_no_latency(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run_tickpath("run", "--duration", "2", "--report-dir", tmp, "--set", "eal.hugepages=\"off\"",
                             "--set", "observability.sink=null", "--set", "warmup.steps=1000")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            s = load_summary(r.stdout)
            self.assertIsNone(s["latency"])
            self.assertEqual(s["config"]["observability"]["sink"], "null")
            ev = s["events"]
            execution = next(c for c in s["consumers"] if c["name"] == "execution")
            self.assertEqual(execution["consumed"], ev["published"])
            self.assertEqual(ev["executed"] + ev["provisional"], execution["consumed"])
            self.assertIn("latency off (null sink)", r.stdout)


class FailureSchedule(unittest.TestCase, SummaryChecks):
    def test_scheduled_outage_degrades_exactly_its_window_and_recovers(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run_tickpath("run", "--events", "3000000", "--report-dir", tmp,
                             "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000",
                             "--set", "failure.schedule=[{scenario=\"market_data_outage\", "
                                      "at_event=1000000, for_events=500000}]")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            s = load_summary(r.stdout)
            self.check_invariants(s)
            states = [(t["from"], t["to"]) for t in s["lifecycle"]["transitions"]]
            self.assertEqual(states, [("INIT", "WARMUP"), ("WARMUP", "READY"),
                                      ("READY", "DEGRADED"), ("DEGRADED", "READY")])
            # Provisional acks are exactly the warmup's and the window's events: the schedule is
            # applied between batches capped to land on its events.
            self.assertEqual(s["events"]["provisional"], 1000 + 500000)
            # Warmup is outside the window; the outage is inside it, marked.
            self.assertEqual(s["warmup"]["count"], 1000)
            self.assertEqual(s["window"]["degraded"], 500000)
            self.assertEqual([e["applied_at_event"] for e in s["failure"]["schedule"]], [1000000, 1500000])


def http(method, port, path):
    import urllib.request
    import urllib.error
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class ControlInterfaces(unittest.TestCase):
    def test_http_probes_failure_injection_metrics_and_telemetry_on_a_live_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.Popen([BINARY, "run", "--duration", "60", "--report-dir", tmp,
                                  "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000",
                                  "--set", f"eal.file_prefix=\"tp-itest{os.getpid()}\"",
                                  "--set", "http.listen=\"127.0.0.1:0\""],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            seen, port = "", None
            deadline = time.time() + 60
            while time.time() < deadline and port is None:
                line = p.stdout.readline()
                seen += line
                if line.startswith("http: listening"):
                    port = int(line.rsplit("port ", 1)[1].rstrip(")\n"))
            self.assertIsNotNone(port, seen)
            try:
                for _ in range(100):
                    status, body = http("GET", port, "/readyz")
                    if status == 200:
                        break
                    time.sleep(0.1)
                self.assertEqual((status, body.strip()), (200, "ready"))
                self.assertEqual(http("GET", port, "/healthz")[0], 200)

                status, body = http("POST", port, "/failure/market_data_outage/activate")
                self.assertEqual(status, 200, body)
                self.assertEqual(json.loads(body)["to"], "DEGRADED")
                status, body = http("GET", port, "/readyz")
                self.assertEqual(status, 503)
                self.assertIn("DEGRADED", body)
                self.assertEqual(http("POST", port, "/failure/meteor_strike/activate")[0], 404)
                state = json.loads(http("GET", port, "/state")[1])
                self.assertEqual(state["state"], "DEGRADED")

                status, metrics = http("GET", port, "/metrics")
                self.assertEqual(status, 200)
                self.assertIn('tickpath_failure_active{scenario="market_data_outage"} 1', metrics)
                self.assertIn("tickpath_latency_seconds_bucket", metrics)
                promtool = shutil.which("promtool")
                if promtool:
                    check = subprocess.run([promtool, "check", "metrics"], input=metrics,
                                           capture_output=True, text=True)
                    self.assertEqual(check.returncode, 0, check.stdout + check.stderr)

                status, body = http("POST", port, "/failure/market_data_outage/deactivate")
                self.assertEqual(status, 200, body)
                self.assertEqual(http("GET", port, "/readyz")[0], 200)

                client = shutil.which("dpdk-telemetry.py")
                if client:
                    t = subprocess.run([client, "-f", f"tp-itest{os.getpid()}"], input="/tickpath/state\n/ethdev/list\n",
                                       capture_output=True, text=True, timeout=30)
                    self.assertIn('"/tickpath/state"', t.stdout, t.stdout + t.stderr)
                    self.assertIn("READY", t.stdout)
            finally:
                p.send_signal(signal.SIGTERM)
                out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, (seen + out)[-2000:] + err[-2000:])
            s = load_summary(seen + out)
            moves = [(t["from"], t["to"]) for t in s["lifecycle"]["transitions"]]
            self.assertIn(("READY", "DEGRADED"), moves)
            self.assertEqual(s["lifecycle"]["final"], "READY")


class Runbook(unittest.TestCase):
    def test_a_feed_that_goes_silent_is_declared_an_outage(self):
        frames = [mold_frame(1 + 2 * i, [b"a" * 8, b"b" * 8]) for i in range(2000)]
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "feed.pcap")
            write_pcap(pcap, frames)
            r = run_tickpath("run", "--duration", "3", "--report-dir", tmp,
                             "--config", os.path.join(SOURCE_ROOT, "config", "pcap.toml"),
                             "--set", f"port.vdev=\"net_pcap0,rx_pcap={pcap}\"",
                             "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=100",
                             "--set", "health.stale_after_ms=500", "--set", "run.stats_interval_ms=250")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            s = load_summary(r.stdout)
            self.assertEqual(s["events"]["published"], 4000)
            moves = [(t["from"], t["to"]) for t in s["lifecycle"]["transitions"]]
            self.assertIn(("READY", "DEGRADED"), moves)
            self.assertTrue(any("feed stale" in a for a in s["control"]["runbook"]["actions"]), s["control"])
            self.assertIn("runbook: feed stale", r.stdout)


class Shutdown(unittest.TestCase, SummaryChecks):
    def test_sigterm_mid_run_exits_zero_with_complete_summary(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = subprocess.Popen([BINARY, *isolated_run_args(
                                     ["run", "--duration", "60", "--report-dir", tmp,
                                      "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000"])],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            # Wait for the first live line: the pipeline is running.
            deadline = time.time() + 60
            seen = ""
            while time.time() < deadline:
                line = p.stdout.readline()
                seen += line
                if "events/s" in line:
                    break
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, (seen + out)[-3000:] + err[-2000:])
            s = load_summary(seen + out)
            self.check_invariants(s)
            self.assertLess(s["duration_s"], 55)
            self.assertEqual(s["shutdown"]["signal"], "SIGTERM")


class BadInput(unittest.TestCase):
    def test_required_hugepages_with_none_reserved_fails_before_eal_with_howto(self):
        if not IS_ROOT:
            self.skipTest("not root: cannot release hugepages")
        hugepages_script("release")
        r = run_tickpath("run", "--duration", "1", "--set", "eal.hugepages=\"required\"")
        self.assertNotEqual(r.returncode, 0)
        out = r.stdout + r.stderr
        self.assertIn("scripts/hugepages.sh", out)
        self.assertIn("dpdk-hugepages.py", out)
        self.assertNotIn("EAL: ", out)  # rejected before the EAL started

    def test_bad_config_key_exits_2_naming_the_key(self):
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write("[ring]\ncapacity = 1000\n")
            path = f.name
        r = run_tickpath("run", "--config", path)
        os.unlink(path)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("ring.capacity", r.stderr)

    def test_unknown_set_key_exits_2_naming_the_key(self):
        r = run_tickpath("run", "--set", "ring.nonsense=3")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("ring.nonsense", r.stderr)


# ---- pcap replay through the pcap PMD ----

def mold_frame(seq, messages, dst_port=30001, count=None):
    payload = b"TICKPATH01" + struct.pack(">QH", seq, len(messages) if count is None else count)
    for m in messages:
        payload += struct.pack(">H", len(m)) + m
    udp = struct.pack(">HHHH", 40001, dst_port, 8 + len(payload), 0) + payload
    ip_total = 20 + len(udp)
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, ip_total, 0, 0x4000, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    eth = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1]) + struct.pack(">H", 0x0800)
    return eth + ip + udp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1, i, len(fr), len(fr)))
            f.write(fr)


class PcapReplay(unittest.TestCase):
    def test_event_count_equals_messages_and_each_malformed_class_is_counted(self):
        frames, messages, seq = [], 0, 1
        for i in range(3000):
            n = 1 + i % 4
            frames.append(mold_frame(seq, [bytes([i % 251]) * (8 + j) for j in range(n)]))
            seq += n
            messages += n
        good = mold_frame(seq, [b"x" * 10, b"y" * 12])
        broken = {
            "wrong_port": mold_frame(1, [b"a"], dst_port=30002),
            "truncated_moldudp64": good[:14 + 20 + 8 + 12],
            "message_past_end": None,
            "not_ipv4": good[:12] + struct.pack(">H", 0x86DD) + good[14:],
        }
        # message_past_end: first message claims 200 bytes.
        b = bytearray(good)
        b[14 + 20 + 8 + 20:14 + 20 + 8 + 22] = struct.pack(">H", 200)
        broken["message_past_end"] = bytes(b)
        # truncated_moldudp64 needs consistent IP/UDP lengths: rebuild with a 12-byte payload.
        short = bytearray(good[:14 + 20 + 8]) + b"S" * 12
        short[14 + 2:14 + 4] = struct.pack(">H", 20 + 8 + 12)
        short[14 + 20 + 4:14 + 20 + 6] = struct.pack(">H", 8 + 12)
        broken["truncated_moldudp64"] = bytes(short)
        for k in broken:
            frames += [broken[k]] * 7
        frames.append(mold_frame(seq, [], count=0))  # heartbeat
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "feed.pcap")
            write_pcap(pcap, frames)
            r = run_tickpath("run", "--duration", "3", "--report-dir", tmp,
                             "--config", os.path.join(SOURCE_ROOT, "config", "pcap.toml"),
                             "--set", f"port.vdev=\"net_pcap0,rx_pcap={pcap}\"",
                             "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=100")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            s = load_summary(r.stdout)
            ev = s["events"]
            self.assertEqual(ev["published"], messages)
            self.assertEqual(ev["frames"], len(frames))
            self.assertEqual(ev["heartbeats"], 1)
            for reason in broken:
                self.assertEqual(ev["drops"][reason], 7, reason)
            self.assertEqual(ev["foreign"], 14)
            self.assertEqual(ev["malformed"], 14)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv[1])
    SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
