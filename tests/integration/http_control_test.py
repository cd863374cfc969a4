#!/usr/bin/env python3
"""The HTTP control plane on a live appliance (DPDK's null PMD): the plain `curl -X POST` form,
a raw request without Content-Length, the bearer token off loopback, and a /metrics flood with
hundreds of idle connections during a run.

Run by meson (suite `integration`) as: http_control_test.py <tickpath binary> <source root>.
With `--flood-compare SECONDS [RATE]` it instead runs the appliance twice back to back (paced at
RATE events/s when given), without and with the flood, and prints ingest_to_ack, events/s and
the hot threads' involuntary context switches of each (docs/reliability.md).

No timed assertions: requests get generous timeouts that only turn a hang into a failure.
"""
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import tickpath_run_test as harness

GENEROUS_S = 30
TOKEN = "it-token-0123456789abcdef"


class Appliance:
    """`tickpath run` in the background, its HTTP port read from the line it prints."""

    def __init__(self, tmp, *extra, duration=60):
        args = harness.isolated_run_args(["run", "--duration", str(duration), "--report-dir", tmp,
                                          "--set", 'eal.hugepages="off"', "--set", "warmup.steps=1000",
                                          *extra])
        self.proc = subprocess.Popen([harness.BINARY, *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.seen, self.port = "", None
        deadline = time.time() + 120
        while time.time() < deadline and self.port is None:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.seen += line
            if line.startswith("http: listening"):
                self.port = int(line.rsplit("port ", 1)[1].rstrip(")\n"))
        if self.port is None:
            self.proc.kill()
            raise AssertionError("no 'http: listening' line:\n" + self.seen + self.proc.stderr.read())

    def wait_ready(self):
        for _ in range(300):
            if request("GET", self.port, "/readyz")[0] == 200:
                return
            time.sleep(0.1)
        raise AssertionError("never READY")

    def finish(self, stop=True):
        if stop:
            self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=120)
        self.seen += out
        return self.proc.returncode, err

    def summary(self):
        return harness.load_summary(self.seen)


def request(method, port, path, headers=None, host="127.0.0.1"):
    req = urllib.request.Request(f"http://{host}:{port}{path}", method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=GENEROUS_S) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def curl_post(port, path):
    """curl's plain form: no -d, so no Content-Length and no body (what the issue's user typed)."""
    r = subprocess.run(["curl", "-s", "-X", "POST", "-w", "\n%{http_code}", "--max-time", str(GENEROUS_S),
                        f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=GENEROUS_S + 5)
    body, _, code = r.stdout.rpartition("\n")
    return int(code or 0), body


def raw(port, text):
    with socket.create_connection(("127.0.0.1", port), timeout=GENEROUS_S) as s:
        s.sendall(text.encode())
        chunks = []
        while True:
            data = s.recv(4096)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks).decode(errors="replace")


def write_token(folder, mode=0o600):
    path = os.path.join(folder, "token")
    with open(path, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(path, mode)
    return path


def thread_cpus(pid, name):
    """The cpus each of the process's threads called `name` may run on."""
    found = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if f.read().strip() != name:
                    continue
            found.append(os.sched_getaffinity(int(tid)))
        except OSError:
            continue
    return found


class Flood:
    """Holds `idle` connections open (connected, silent) and scrapes /metrics from `scrapers`
    threads as fast as they can until stopped."""

    def __init__(self, port, idle=200, scrapers=2):
        self.port = port
        self.idle = [socket.create_connection(("127.0.0.1", port), timeout=GENEROUS_S) for _ in range(idle)]
        self.served, self.failed = 0, 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.scrape, daemon=True) for _ in range(scrapers)]
        for t in self.threads:
            t.start()

    def scrape(self):
        while not self.stopping.is_set():
            try:
                status, _ = request("GET", self.port, "/metrics")
                ok = status == 200
            except OSError:
                ok = False
            with self.lock:
                if ok:
                    self.served += 1
                else:
                    self.failed += 1

    def idle_still_open(self):
        """Connections the server has not closed: a non-blocking peek finds neither data nor EOF."""
        still = 0
        for s in self.idle:
            s.setblocking(False)
            try:
                still += 1 if s.recv(1, socket.MSG_PEEK) != b"" else 0
            except BlockingIOError:
                still += 1
            except OSError:
                pass
        return still

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(timeout=GENEROUS_S)
        for s in self.idle:
            s.close()


class PlainPost(unittest.TestCase):
    def test_curl_x_post_without_data_activates_and_deactivates_and_flips_readyz(self):
        with tempfile.TemporaryDirectory() as tmp:
            app = Appliance(tmp)
            try:
                app.wait_ready()
                status, body = curl_post(app.port, "/failure/market_data_outage/activate")
                self.assertEqual(status, 200, body)
                self.assertEqual(json.loads(body)["to"], "DEGRADED")
                self.assertEqual(request("GET", app.port, "/readyz")[0], 503)
                status, body = curl_post(app.port, "/failure/market_data_outage/deactivate")
                self.assertEqual(status, 200, body)
                self.assertEqual(json.loads(body)["to"], "READY")
                self.assertEqual(request("GET", app.port, "/readyz")[0], 200)

                # The same through a raw socket: no Content-Length, no Transfer-Encoding.
                reply = raw(app.port, "POST /failure/execution_failure/activate HTTP/1.1\r\n"
                                      "Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
                self.assertTrue(reply.startswith("HTTP/1.1 200"), reply)
                self.assertEqual(request("GET", app.port, "/readyz")[0], 503)
                reply = raw(app.port, "POST /failure/execution_failure/deactivate HTTP/1.0\r\n\r\n")
                self.assertRegex(reply, r"^HTTP/1\.[01] 200", reply)
                self.assertEqual(request("GET", app.port, "/readyz")[0], 200)
            finally:
                rc, err = app.finish()
            self.assertEqual(rc, 0, err[-2000:])


class Token(unittest.TestCase):
    def test_a_non_loopback_listen_without_a_token_file_exits_2_before_the_eal(self):
        r = harness.run_tickpath("run", "--duration", "1", "--set", 'eal.hugepages="off"',
                                 "--set", 'http.listen="0.0.0.0:0"', timeout=60)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("http.token_file", r.stderr)
        self.assertIn("not a loopback address", r.stderr)
        self.assertNotIn("EAL:", r.stdout + r.stderr)

    def test_a_token_file_others_can_read_exits_2_naming_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = write_token(tmp, 0o644)
            r = harness.run_tickpath("run", "--duration", "1", "--set", 'eal.hugepages="off"',
                                     "--set", 'http.listen="0.0.0.0:0"',
                                     "--set", f"http.token_file={json.dumps(path)}", timeout=60)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn(path, r.stderr)
        self.assertIn("chmod 600", r.stderr)
        self.assertNotIn("EAL:", r.stdout + r.stderr)

    def test_on_all_interfaces_post_needs_the_bearer_token_and_probes_do_not(self):
        with tempfile.TemporaryDirectory() as tmp:
            app = Appliance(tmp, "--set", 'http.listen="0.0.0.0:0"',
                            "--set", f"http.token_file={json.dumps(write_token(tmp))}")
            try:
                app.wait_ready()
                path = "/failure/market_data_outage/activate"
                status, body = request("POST", app.port, path)
                self.assertEqual(status, 401, body)
                self.assertEqual(request("POST", app.port, path, {"Authorization": "Bearer wrong"})[0], 401)
                self.assertEqual(request("GET", app.port, "/readyz")[0], 200)  # nothing changed
                status, body = request("POST", app.port, path, {"Authorization": f"Bearer {TOKEN}"})
                self.assertEqual(status, 200, body)
                self.assertEqual(request("GET", app.port, "/readyz")[0], 503)
            finally:
                rc, err = app.finish()
            self.assertEqual(rc, 0, err[-2000:])
            self.assertNotIn(TOKEN, json.dumps(app.summary()))  # the path is recorded, never the token


class UnderLoad(unittest.TestCase):
    def test_a_metrics_flood_and_200_idle_connections_leave_probes_and_the_run_intact(self):
        with tempfile.TemporaryDirectory() as tmp:
            # idle_timeout_s: the idle connections must certainly outlive the checks, whatever the load.
            app = Appliance(tmp, "--set", "http.idle_timeout_s=120", duration=8)
            flood = None
            try:
                app.wait_ready()
                flood = Flood(app.port)
                time.sleep(1)
                status, body = request("GET", app.port, "/healthz")
                self.assertEqual((status, body), (200, "ok"))
                status, _ = request("GET", app.port, "/readyz")
                self.assertEqual(status, 200)
                # The idle connections were really open while the probes were served.
                self.assertEqual(flood.idle_still_open(), 200)
                # tp-http runs on the control (housekeeping) cpu only, never a hot one.
                http_cpus = thread_cpus(app.proc.pid, "tp-http")
                self.assertEqual(len(http_cpus), 1, http_cpus)
            finally:
                if flood is not None:
                    flood.stop()
                rc, err = app.finish(stop=False)  # the run ends by its duration, flood or not
            self.assertEqual(rc, 0, err[-2000:])
            self.assertGreater(flood.served, 0)
            self.assertEqual(flood.failed, 0)
            s = app.summary()
            cores = s["platform"]["cores"]
            self.assertEqual(http_cpus[0], {cores["control"]})
            if not s["platform"]["hot_shared"] and cores["control"] not in (cores["ingest"], cores["execution"]):
                self.assertNotIn(cores["ingest"], http_cpus[0])
                self.assertNotIn(cores["execution"], http_cpus[0])
            self.assertGreater(s["throughput"]["events_per_s"], 0)
            self.assertGreater(s["latency"]["ingest_to_ack"]["count"], 0)
            print(f"\nflood: {flood.served} /metrics served, 200 idle connections held; "
                  f"ingest_to_ack p99 {s['latency']['ingest_to_ack']['p99_ns']} ns, "
                  f"events/s {s['throughput']['events_per_s']:.0f}", file=sys.stderr)


def hot_preemptions(pid):
    """Involuntary context switches of the hot threads (tp-pmd-*) so far: each one is the kernel
    taking the hot cpu away from them."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                if not f.read().startswith("tp-pmd"):
                    continue
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                for line in f:
                    if line.startswith("nonvoluntary_ctxt_switches:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def steal_ticks(cpu):
    """Clock ticks the hypervisor ran something else on this guest cpu (/proc/stat's steal)."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{cpu} "):
                return int(line.split()[8])
    return 0


def flood_compare(seconds, rate):
    """Two runs back to back, identical but for the flood: the figures for docs/reliability.md."""
    rows = []
    everywhere = os.sched_getaffinity(0)
    paced = ["--rate", str(rate)] if rate else []
    for label in ("no flood", "flood"):
        with tempfile.TemporaryDirectory() as tmp:
            app = Appliance(tmp, "--set", "http.idle_timeout_s=3600", *paced, duration=seconds)
            flood = None
            app.wait_ready()
            if label == "flood":
                # The client runs where tp-http runs, as a remote scraper would cost the hot
                # cpus nothing: what is measured is the server's load, not this script's.
                os.sched_setaffinity(0, thread_cpus(app.proc.pid, "tp-http")[0])
                flood = Flood(app.port)
            preempted = 0
            hot_cpu = None
            steal_before = 0
            while app.proc.poll() is None:
                if hot_cpu is None:
                    cpus = thread_cpus(app.proc.pid, "tp-pmd-hot") or thread_cpus(app.proc.pid, "tp-pmd-exec")
                    if cpus and len(cpus[0]) == 1:
                        hot_cpu = next(iter(cpus[0]))
                        steal_before = steal_ticks(hot_cpu)
                try:
                    preempted = hot_preemptions(app.proc.pid)
                except OSError:
                    break
                time.sleep(0.2)
            steal = steal_ticks(hot_cpu) - steal_before if hot_cpu is not None else -1
            rc, err = app.finish(stop=False)
            os.sched_setaffinity(0, everywhere)
            if flood is not None:
                flood.stop()
            if rc != 0:
                raise SystemExit(f"{label}: exit {rc}\n{err[-2000:]}")
            s = app.summary()
            lat = s["latency"]["ingest_to_ack"]
            cores = s["platform"]["cores"]
            rows.append((label, s["throughput"]["events_per_s"], lat["p50_ns"], lat["p99_ns"], lat["p99_9_ns"],
                         flood.served if flood else 0, preempted, steal,
                         f"ingest {cores['ingest']} execution {cores['execution']} control {cores['control']}"))
    print(f"{'run':<9} {'events/s':>10} {'p50 ns':>7} {'p99 ns':>7} {'p99.9 ns':>8} {'/metrics':>8} "
          f"{'hot preempted':>13} {'hot steal ticks':>15}  cpus")
    for label, eps, p50, p99, p999, served, preempted, steal, cpus in rows:
        print(f"{label:<9} {eps:>10.0f} {p50:>7.0f} {p99:>7.0f} {p999:>8.0f} {served:>8} {preempted:>13} "
              f"{steal:>15}  {cpus}")


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    if len(sys.argv) > 4 and sys.argv[3] == "--flood-compare":
        flood_compare(float(sys.argv[4]), float(sys.argv[5]) if len(sys.argv) > 5 else 0)
    else:
        unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
