#!/usr/bin/env python3
"""A/B line arbitration as a user runs it (docs/wire.md): `tickpath gen --lines 2 --pcap` writes
one capture per line with faults on one line only, `tickpath run` replays both through
config/ab-pcap.toml, and every per-line counter must equal what gen says it injected.

usage: ab_lines_test.py TICKPATH_BINARY SOURCE_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import tickpath_run_test as harness


def gen(*args, timeout=120):
    return subprocess.run([harness.BINARY, "gen", *args], capture_output=True, text=True, timeout=timeout)


def run_pair(tmp, pcap, *extra):
    a, b = pcap.replace(".pcap", "-A.pcap"), pcap.replace(".pcap", "-B.pcap")
    return harness.run_tickpath("run", "--duration", "3", "--report-dir", tmp,
                                "--config", os.path.join(harness.SOURCE_ROOT, "config", "ab-pcap.toml"),
                                "--set", f"ingest.lines.a.vdev=\"net_pcap0,rx_pcap={a},infinite_rx=0\"",
                                "--set", f"ingest.lines.b.vdev=\"net_pcap1,rx_pcap={b},infinite_rx=0\"",
                                "--set", "eal.hugepages=\"off\"", *extra)


class AbPcapExactCounts(unittest.TestCase):
    def generate(self, tmp, *faults):
        pcap, report = os.path.join(tmp, "feed.pcap"), os.path.join(tmp, "gen.json")
        g = gen("--lines", "2", "--pcap", pcap, "--frames", "20000", "--rate", "1000000", "--seed", "3",
                "--report", report, *faults)
        self.assertEqual(g.returncode, 0, g.stdout + g.stderr)
        self.assertTrue(os.path.exists(os.path.join(tmp, "feed-A.pcap")))
        self.assertTrue(os.path.exists(os.path.join(tmp, "feed-B.pcap")))
        with open(report) as f:
            return pcap, json.load(f)

    def test_a_thousand_drops_on_a_only_are_all_filled_by_b_and_nothing_is_lost(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap, injected = self.generate(tmp, "--drop-every-a", "20")
            a = injected["lines"]["A"]
            self.assertEqual(a["dropped_frames"], 1000)
            r = run_pair(tmp, pcap)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            s = harness.load_summary(r.stdout)
            lines = s["lines"]
            self.assertEqual(lines["A"]["filled_by_other"], a["dropped_messages"])
            self.assertEqual(lines["A"]["gaps"], a["dropped_messages"])
            self.assertEqual(lines["B"]["gaps"], 0)
            self.assertEqual(lines["B"]["filled_by_other"], 0)
            self.assertEqual(lines["lost"], 0)
            self.assertEqual(lines["A"]["late"] + lines["B"]["late"], 0)
            messages = injected["injected"]["messages"]
            self.assertEqual(lines["A"]["won"] + lines["B"]["won"], messages, "each message published once")
            self.assertEqual(s["events"]["published"], messages)
            self.assertEqual(lines["A"]["duplicate"] + lines["B"]["duplicate"], messages - a["dropped_messages"])
            self.assertEqual(lines["both_delivered"], messages - a["dropped_messages"])
            self.assertEqual(lines["skew_ns"]["count"], lines["both_delivered"])
            self.assertEqual(s["events"]["feed"]["gaps"], 0, "no true loss: the sequence-gap figure stays 0")
            self.assertIn("line A: won", r.stdout)

    def test_drops_of_the_same_frame_on_both_lines_are_the_only_loss(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap, injected = self.generate(tmp, "--drop-every-a", "6", "--drop-every-b", "4", "--reorder-every-b", "7")
            a, b = injected["lines"]["A"], injected["lines"]["B"]
            self.assertGreater(b["reordered"], 0)
            r = run_pair(tmp, pcap)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            lines = harness.load_summary(r.stdout)["lines"]
            self.assertGreater(lines["lost"], 0)
            self.assertEqual(lines["A"]["gaps"], a["dropped_messages"])
            self.assertEqual(lines["B"]["gaps"], b["dropped_messages"])
            self.assertEqual(lines["A"]["gaps"] - lines["A"]["filled_by_other"], lines["lost"])
            self.assertEqual(lines["B"]["gaps"] - lines["B"]["filled_by_other"], lines["lost"])
            self.assertEqual(lines["A"]["won"] + lines["B"]["won"] + lines["lost"], injected["injected"]["messages"])

    def test_a_single_line_run_has_no_lines_section(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = harness.run_tickpath("run", "--duration", "1", "--report-dir", tmp, "--set", "eal.hugepages=\"off\"")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertIsNone(harness.load_summary(r.stdout)["lines"])


class AbConfigErrors(unittest.TestCase):
    def test_a_bad_lines_config_is_rejected_before_the_eal_naming_the_key(self):
        cases = [
            (["ingest.lines.b.vdev=\"net_pcap1,rx_pcap=x.pcap\""], "ingest.lines.a"),
            (["ingest.format=\"moldudp64\"", "ingest.lines.a.vdev=\"net_pcap0\"", "ingest.lines.b.vdev=\"net_pcap0\""],
             "ingest.lines.b"),
            (["ingest.lines.b.vdev=\"net_pcap1\"", "ingest.lines.a.vdev=\"net_pcap0\""], "ingest.format"),
            (["ingest.lines.window=1000"], "ingest.lines.window"),
        ]
        for sets, key in cases:
            args = ["run", "--duration", "1"]
            for s in sets:
                args += ["--set", s]
            r = subprocess.run([harness.BINARY, *args], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, (sets, r.stdout, r.stderr))
            self.assertIn(key, r.stderr, sets)
            self.assertNotIn("EAL", r.stdout + r.stderr, "rejected before the EAL starts")


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
