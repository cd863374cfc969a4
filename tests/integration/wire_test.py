#!/usr/bin/env python3
"""The wire path as a user runs it (docs/wire.md): `tickpath gen` makes the frames, `tickpath run`
counts them, and the two reports must agree exactly.

- gen -> pcap -> run on DPDK's pcap PMD: every injected gap, duplicate, reorder, heartbeat,
  end of session and broken frame (each drop reason) is counted exactly; events = messages.
- gen's pcap timestamps follow the load shape (microbursts).
- gen -> veth -> run, both on net_af_packet, as real processes in two network namespaces
  (skipped, with the reason, where namespaces cannot be made): at a fixed rate, wire_to_ack
  percentiles are present and ordered, received frames = sent - NIC-reported drops.

usage: wire_test.py TICKPATH_BINARY SOURCE_ROOT
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import tickpath_run_test as harness

PERCENTILES = ["min_ns", "p50_ns", "p90_ns", "p99_ns", "p99_9_ns", "p99_99_ns", "max_ns"]


def gen(*args, timeout=120):
    return subprocess.run([harness.BINARY, "gen", *args], capture_output=True, text=True, timeout=timeout)


def read_pcap_times(path):
    """Record timestamps (ns) of a nanosecond-magic pcap, and the record count."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data, 0)[0]
    assert magic == 0xA1B23C4D, hex(magic)
    at, times = 24, []
    while at < len(data):
        sec, nsec, incl, _ = struct.unpack_from("<IIII", data, at)
        times.append(sec * 1_000_000_000 + nsec)
        at += 16 + incl
    assert at == len(data), "trailing bytes in the capture"
    return times


class PcapExactCounts(unittest.TestCase):
    def test_every_injected_fault_is_counted_exactly_and_events_equal_messages(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap, report = os.path.join(tmp, "feed.pcap"), os.path.join(tmp, "gen.json")
            g = gen("--pcap", pcap, "--frames", "6000", "--rate", "1000000", "--messages", "4",
                    "--gap-every", "97", "--gap-size", "3", "--duplicate-every", "89", "--reorder-every", "83",
                    "--malformed-ratio", "0.01", "--heartbeat-every", "50", "--seed", "7", "--report", report)
            self.assertEqual(g.returncode, 0, g.stdout + g.stderr)
            with open(report) as f:
                injected = json.load(f)["injected"]
            # Every kind of fault really went out, or the comparison below proves little.
            for key in ("gaps", "duplicates", "reorders", "heartbeats", "malformed", "foreign"):
                self.assertGreater(injected[key], 0, key)
            for reason, n in injected["drops"].items():
                if reason == "wrong_group":  # foreign only to a line with a multicast group: never generated
                    self.assertEqual(n, 0)
                    continue
                self.assertGreater(n, 0, f"drop class {reason} not injected")

            r = harness.run_tickpath("run", "--duration", "3", "--report-dir", tmp,
                                     "--config", os.path.join(harness.SOURCE_ROOT, "config", "pcap.toml"),
                                     "--set", f"port.vdev=\"net_pcap0,rx_pcap={pcap},infinite_rx=0\"",
                                     "--set", "eal.hugepages=\"off\"")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            s = harness.load_summary(r.stdout)
            ev, feed = s["events"], s["events"]["feed"]
            self.assertEqual(ev["frames"], injected["frames"])
            self.assertEqual(ev["published"], injected["messages"], "events = messages of valid frames")
            self.assertEqual(feed["missing"], injected["gap_sequences"])
            self.assertEqual(feed["duplicates"], injected["duplicates"])
            self.assertEqual(feed["out_of_order"], injected["reorders"])
            self.assertEqual(ev["heartbeats"], injected["heartbeats"])
            self.assertEqual(ev["end_of_session"], injected["end_of_session"])
            self.assertEqual(ev["drops"], injected["drops"])
            self.assertEqual(ev["malformed"], injected["malformed"])
            self.assertEqual(ev["foreign"], injected["foreign"])
            # A capture carries no live send time: no wire_to_ack from a replay.
            self.assertEqual(s["latency"]["wire_to_ack"]["count"], 0)
            # ingest.wall_clock_latency is off by default: no map, no wall_to_ack (a replay's send_ns
            # is the file's planned time, its age would be measured).
            self.assertEqual(s["latency"]["wall_to_ack"]["count"], 0)
            self.assertEqual(s["platform"]["wall_clock"], {"enabled": False})
            self.assertIn("nic_timestamps", s["platform"])
            self.assertTrue(s["platform"]["nic_timestamps"]["note"])


class PcapShape(unittest.TestCase):
    def test_microbursts_are_back_to_back_groups_at_the_planned_interval(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap, report = os.path.join(tmp, "b.pcap"), os.path.join(tmp, "gen.json")
            g = gen("--pcap", pcap, "--shape", "burst", "--burst-size", "8", "--burst-interval-us", "250",
                    "--frames", "800", "--report", report)
            self.assertEqual(g.returncode, 0, g.stdout + g.stderr)
            times = read_pcap_times(pcap)
            with open(report) as f:
                self.assertEqual(len(times), json.load(f)["injected"]["frames"])
            for b in range(100):
                group = times[8 * b:8 * b + 8]
                self.assertEqual(len(set(group)), 1, f"burst {b} not back to back")
                if b:
                    self.assertEqual(group[0] - times[8 * b - 1], 250_000)

    def test_bad_options_are_rejected_naming_the_option(self):
        for args, word in ((["--pcap", "/tmp/x.pcap"], "--duration"),
                           (["--pcap", "/tmp/x.pcap", "--frames", "1", "--shape", "saw"], "--shape"),
                           (["--frames", "1"], "--pcap"),
                           (["--pcap", "/tmp/x.pcap", "--frames", "1", "--message-size", "4"], "--message-size")):
            g = gen(*args)
            self.assertEqual(g.returncode, 2, (args, g.stdout, g.stderr))
            self.assertIn(word, g.stderr, args)


# af_packet's receive ring: 16384 frames absorb a receiver descheduled for a while on a busy machine.
RX_RING = "blocksz=4096,framesz=2048,framecnt=16384"


class Lab:
    """scripts/netns-lab.sh with a name of its own (TP_LAB) so it never meets a developer's lab."""

    def __init__(self):
        self.name = f"tw{os.getpid() % 100000}"
        self.env = dict(os.environ, TP_LAB=self.name)
        self.script = os.path.join(harness.SOURCE_ROOT, "scripts", "netns-lab.sh")

    def up(self):
        return subprocess.run([self.script, "up"], env=self.env, capture_output=True, text=True)

    def down(self):
        subprocess.run([self.script, "down"], env=self.env, capture_output=True, text=True)


class VethAfPacket(unittest.TestCase):
    def lab_or_skip(self):
        """A lab of this test's own, removed at cleanup; skips (with the reason) where none can be made."""
        if not harness.IS_ROOT:
            self.skipTest("not root: network namespaces need CAP_NET_ADMIN")
        lab = Lab()
        up = lab.up()
        if up.returncode != 0:
            lab.down()
            self.skipTest(f"cannot make network namespaces here: {up.stderr.strip()}")
        self.addCleanup(lab.down)
        return lab

    def start_receiver(self, lab, tmp, duration, *settings):
        """`tickpath run` with config/veth.toml in the lab's receiving namespace; returns once its
        pipeline runs (its first live line), so a sender started next is never early."""
        run = subprocess.Popen(
            ["ip", "netns", "exec", f"{lab.name}-rx", harness.BINARY,
             *harness.isolated_run_args(["run", "--config", os.path.join(harness.SOURCE_ROOT, "config", "veth.toml"),
                                         "--duration", duration, "--report-dir", tmp,
                                         "--set", "eal.hugepages=\"off\"", *settings])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: run.poll() is None and run.kill())
        deadline, started = time.time() + 30, False
        while time.time() < deadline and not started:
            line = run.stdout.readline()
            if not line:
                break
            started = line.startswith("t=")
        if not started:  # (reading stderr waits for the receiver to exit: only on failure)
            run.kill()
            self.fail("receiver never printed a live line: " + run.stderr.read()[-3000:])
        return run

    def test_gen_to_run_over_veth_measures_wire_to_ack_and_loses_nothing_unreported(self):
        lab = self.lab_or_skip()
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "gen.json")
            rx_vdev = f"net_af_packet0,iface={lab.name}-vrx,{RX_RING}"
            run = self.start_receiver(lab, tmp, "9", "--set", f"port.vdev=\"{rx_vdev}\"",
                                      "--set", "ingest.wall_clock_latency=true")
            g = subprocess.run(["ip", "netns", "exec", f"{lab.name}-gen", harness.BINARY, "gen",
                                "--vdev", f"net_af_packet0,iface={lab.name}-vgen", "--hugepages", "off",
                                "--file-prefix", f"tp-wire-gen-{os.getpid()}", "--rate", "5000", "--duration", "3",
                                "--messages", "2", "--report", report],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(g.returncode, 0, g.stdout + g.stderr)
            out, err = run.communicate(timeout=60)
            links = subprocess.run(["ip", "-n", f"{lab.name}-rx", "-s", "link"], capture_output=True, text=True).stdout
            self.assertEqual(run.returncode, 0, out[-3000:] + err[-3000:])
            with open(report) as f:
                sent = json.load(f)
            s = harness.load_summary(out)
            ev = s["events"]
            nic_drops = ev["nic_missed"] + ev["nic_rx_nombuf"] + ev["nic_errors"]
            self.assertEqual(sent["tx"]["sent"], sent["injected"]["frames"])
            self.assertEqual(ev["frames"], sent["injected"]["frames"] - nic_drops,
                             f"received != sent - NIC-reported drops; feed: {ev['feed']}\n{links}")
            self.assertEqual(ev["end_of_session"], 1)
            wire = s["latency"]["wire_to_ack"]
            # The stage histograms hold the measured window only (warmup acks are reported apart).
            self.assertEqual(wire["count"], s["window"]["acked"], "every message acked in the window carried the sender's TSC")
            self.assertEqual(s["window"]["acked"] + s["window"]["lost"], s["window"]["published"])
            values = [wire[k] for k in PERCENTILES]
            self.assertTrue(all(v > 0 for v in values), wire)
            self.assertEqual(values, sorted(values), f"percentiles not ordered: {wire}")
            # The wire adds to the path: wire_to_ack's median is above ingest_to_ack's.
            self.assertGreater(wire["p50_ns"], s["latency"]["ingest_to_ack"]["p50_ns"])
            self.assertIn("not offered", s["platform"]["nic_timestamps"]["note"])
            # Same host, same clocks: the wall-clock figure (send_ns -> ack mapped to CLOCK_REALTIME)
            # measures what wire_to_ack measures. Every stamped message is either a sample or a
            # counted negative; the medians agree within a generous factor (a ratio, not a time).
            wall = s["latency"]["wall_to_ack"]
            self.assertGreater(wall["count"], 0, wall)
            self.assertEqual(wall["count"] + s["latency"]["wall_clock_negative"], wire["count"])
            self.assertLess(wall["p50_ns"], 2 * wire["p50_ns"], f"wall {wall} wire {wire}")
            self.assertGreater(wall["p50_ns"], wire["p50_ns"] / 2, f"wall {wall} wire {wire}")
            clock = s["platform"]["wall_clock"]
            self.assertTrue(clock["enabled"])
            self.assertGreater(clock["elapsed_s"], 0)
            for key in ("drift_ns_at_end", "drift_ppm", "map_taken_at_ns", "note"):
                self.assertIn(key, clock)
            print("wall_clock:", json.dumps(clock), "wall_to_ack:", json.dumps(wall),
                  "wire_to_ack:", json.dumps(wire), file=sys.stderr)

    def test_two_lines_over_two_veth_pairs_count_every_line_fault_exactly(self):
        """gen --lines 2 live (one feed on two ports, faults per line, B sent later) -> run with
        [ingest.lines] on the two receiving ends: every per-line counter against gen's report."""
        lab = self.lab_or_skip()
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "gen.json")
            run = self.start_receiver(
                lab, tmp, "8",
                "--set", f"ingest.lines.a.vdev=\"net_af_packet0,iface={lab.name}-vrx,{RX_RING}\"",
                "--set", f"ingest.lines.b.vdev=\"net_af_packet1,iface={lab.name}-vrxb,{RX_RING}\"")
            # Drops every 100th frame on A and every 101st on B: no frame is dropped on both within
            # the run's 10,000 data frames, so every gap must be filled by the other line.
            g = subprocess.run(["ip", "netns", "exec", f"{lab.name}-gen", harness.BINARY, "gen", "--lines", "2",
                                "--vdev", f"net_af_packet0,iface={lab.name}-vgen",
                                "--vdev-b", f"net_af_packet1,iface={lab.name}-vgenb", "--hugepages", "off",
                                "--file-prefix", f"tp-wire-gen2-{os.getpid()}", "--rate", "5000", "--frames", "10000",
                                "--skew-us", "100", "--drop-every-a", "100", "--drop-every-b", "101",
                                "--report", report],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(g.returncode, 0, g.stdout + g.stderr)
            self.assertIn("skew as sent", g.stdout)
            out, err = run.communicate(timeout=60)
            self.assertEqual(run.returncode, 0, out[-3000:] + err[-3000:])
            with open(report) as f:
                sent = json.load(f)
            s = harness.load_summary(out)
            ev = s["events"]
            self.assertEqual(ev["nic_missed"] + ev["nic_rx_nombuf"] + ev["nic_errors"], 0)
            a, b = sent["lines"]["A"], sent["lines"]["B"]
            self.assertEqual((a["dropped_frames"], b["dropped_frames"]), (100, 99))
            self.assertEqual(sent["lines"]["tx"]["A"]["sent"], a["frames"])
            self.assertEqual(sent["lines"]["tx"]["B"]["sent"], b["frames"])
            self.assertEqual(ev["frames"], a["frames"] + b["frames"], "every frame either line sent was received")
            lines = s["lines"]
            self.assertEqual(lines["A"]["gaps"], a["dropped_messages"])
            self.assertEqual(lines["B"]["gaps"], b["dropped_messages"])
            self.assertEqual(lines["A"]["filled_by_other"], a["dropped_messages"])
            self.assertEqual(lines["B"]["filled_by_other"], b["dropped_messages"])
            self.assertEqual(lines["lost"], 0)
            messages = sent["injected"]["messages"]
            self.assertEqual(lines["A"]["won"] + lines["B"]["won"], messages, "each message published once")
            self.assertEqual(lines["both_delivered"], messages - a["dropped_messages"] - b["dropped_messages"])
            # B left later on every frame both lines sent (the skew gen measured at its own sends).
            # (the 10,000 data frames and the end of session, less each line's drops)
            self.assertEqual(sent["lines"]["sent_skew"]["count"], 10001 - 100 - 99)
            self.assertGreater(sent["lines"]["sent_skew"]["min_ns"], 0)
            print("sent skew:", json.dumps(sent["lines"]["sent_skew"]), "received skew:",
                  json.dumps(lines["skew"]), file=sys.stderr)


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
