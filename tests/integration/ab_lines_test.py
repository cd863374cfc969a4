#!/usr/bin/env python3
"""A/B line arbitration as a user runs it (docs/wire.md): `tickpath gen --lines 2 --pcap` writes
one capture per line with faults on one line only, `tickpath run` replays both through
config/ab-pcap.toml, and every per-line counter must equal what gen says it injected.

usage: ab_lines_test.py TICKPATH_BINARY SOURCE_ROOT
"""
import json
import os
import re
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
            self.assertEqual(lines["skew"]["count"], lines["both_delivered"])
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

    def test_a_two_line_run_folder_has_the_skew_as_hgrm_files_and_hlog_tags_and_report_reads_them_back(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap, injected = self.generate(tmp, "--drop-every-a", "20")
            r = run_pair(tmp, pcap)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            folder = run_folder(r.stdout)
            s = harness.load_summary(r.stdout)
            counts = {}
            for name in ("line-skew-b-after-a.hgrm", "line-skew-a-after-b.hgrm"):
                path = os.path.join(folder, name)
                self.assertTrue(os.path.exists(path), name)
                with open(path) as f:
                    text = f.read()
                self.assertIn("#[Max", text, name)
                self.assertIn("arrival skew", text, name)
                counts[name] = int(re.search(r"Total count\s*=\s*(\d+)", text).group(1))
            self.assertEqual(sum(counts.values()), s["lines"]["both_delivered"],
                             "the two signs together hold every number both lines delivered")
            with open(os.path.join(folder, "latency.hlog")) as f:
                hlog = f.read()
            self.assertIn("Tag=line_skew_b_after_a,", hlog)
            self.assertIn("Tag=line_skew_a_after_b,", hlog)
            self.assertFalse(os.path.exists(os.path.join(folder, "latency-line_skew_b_after_a.hgrm")))
            os.remove(os.path.join(folder, "report.html"))
            rep = subprocess.run([harness.BINARY, "report", folder], capture_output=True, text=True, timeout=60)
            self.assertEqual(rep.returncode, 0, rep.stdout + rep.stderr)
            with open(os.path.join(folder, "report.html")) as f:
                html = f.read()
            self.assertIn("Lines A/B", html)
            self.assertIn('data-stage="line_skew"', html, "the skew plot, read back from latency.hlog")
            self.assertNotIn('data-stage="line_skew_b_after_a"', html, "not a latency stage")

    def test_frames_to_another_group_on_a_line_are_dropped_as_wrong_group_never_published(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap, injected = self.generate(tmp, "--dst-ip", "239.1.1.1", "--dst-mac", "01:00:5e:01:01:01")
            # Line B is told its group is 239.1.1.2: every frame of feed-B.pcap went elsewhere.
            r = run_pair(tmp, pcap, "--set", "ingest.lines.a.multicast=\"239.1.1.1\"",
                         "--set", "ingest.lines.b.multicast=\"239.1.1.2\"")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertIn("line A: multicast 239.1.1.1 not joined: net_pcap has no multicast filter", r.stdout)
            s = harness.load_summary(r.stdout)
            frames = injected["injected"]["frames"]
            self.assertEqual(s["events"]["drops"]["wrong_group"], frames, "every frame B received")
            self.assertEqual(s["events"]["foreign"], frames)
            self.assertEqual(s["lines"]["B"]["frames"], 0)
            self.assertEqual(s["lines"]["B"]["won"] + s["lines"]["B"]["duplicate"], 0)
            self.assertEqual(s["lines"]["A"]["won"], injected["injected"]["messages"])
            self.assertEqual(s["events"]["published"], injected["injected"]["messages"])
            self.assertIn("239.1.1.1", s["platform"]["port"]["multicast"])

    def test_a_single_line_run_has_no_lines_section(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = harness.run_tickpath("run", "--duration", "1", "--report-dir", tmp, "--set", "eal.hugepages=\"off\"")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertIsNone(harness.load_summary(r.stdout)["lines"])


def run_folder(stdout):
    return [l for l in stdout.splitlines() if l.startswith("report: ")][-1].split("report: ", 1)[1].strip()


class AbConfigErrors(unittest.TestCase):
    def test_a_bad_lines_config_is_rejected_before_the_eal_naming_the_key(self):
        cases = [
            (["ingest.lines.b.vdev=\"net_pcap1,rx_pcap=x.pcap\""], "ingest.lines.a"),
            (["ingest.format=\"moldudp64\"", "ingest.lines.a.vdev=\"net_pcap0\"", "ingest.lines.b.vdev=\"net_pcap0\""],
             "ingest.lines.b"),
            (["ingest.lines.b.vdev=\"net_pcap1\"", "ingest.lines.a.vdev=\"net_pcap0\""], "ingest.format"),
            (["ingest.lines.window=1000"], "ingest.lines.window"),
            (["ingest.format=\"moldudp64\"", "ingest.lines.a.vdev=\"net_pcap0\"", "ingest.lines.b.vdev=\"net_pcap1\"",
              "ingest.lines.b.multicast=\"10.1.1.1\""], "ingest.lines.b.multicast"),
            (["ingest.lines.a.rx_queue=1024"], "ingest.lines.a.rx_queue"),
            (["ingest.format=\"moldudp64\"", "ingest.lines.a.multicast=\"239.1.1.1\""], "ingest.lines.a.multicast"),
        ]
        for sets, key in cases:
            args = ["run", "--duration", "1"]
            for s in sets:
                args += ["--set", s]
            r = subprocess.run([harness.BINARY, *args], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 2, (sets, r.stdout, r.stderr))
            self.assertIn(key, r.stderr, sets)
            self.assertNotIn("EAL", r.stdout + r.stderr, "rejected before the EAL starts")


class AbRxQueue(unittest.TestCase):
    def test_a_queue_beyond_what_the_device_offers_is_a_start_up_error_naming_the_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "feed.pcap")
            g = gen("--lines", "2", "--pcap", pcap, "--frames", "100", "--rate", "100000")
            self.assertEqual(g.returncode, 0, g.stdout + g.stderr)
            r = run_pair(tmp, pcap, "--set", "ingest.lines.b.rx_queue=1")
            self.assertEqual(r.returncode, 1, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertIn("ingest.lines.b.rx_queue = 1: port net_pcap1 (net_pcap) offers 1 rx queue (0..0)", r.stderr)
            self.assertNotIn("report: ", r.stdout, "nothing ran")

    def test_a_queue_the_device_offers_is_polled(self):
        with tempfile.TemporaryDirectory() as tmp:
            # net_null offers many queues: line B polls queue 3 of its port and receives.
            r = harness.run_tickpath("run", "--duration", "1", "--report-dir", tmp, "--set", "eal.hugepages=\"off\"",
                                     "--set", "ingest.format=\"moldudp64\"",
                                     "--set", "ingest.lines.a.vdev=\"net_null0\"", "--set", "ingest.lines.b.vdev=\"net_null1\"",
                                     "--set", "ingest.lines.b.rx_queue=3")
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            s = harness.load_summary(r.stdout)
            self.assertEqual(s["platform"]["port_b"]["rx_queue"], 3)
            self.assertEqual(s["platform"]["port"]["rx_queue"], 0)
            self.assertGreater(s["lines"]["B"]["nic_ipackets"], 0,
                               "queue 3 of line B's port was polled: the null PMD counts what rx_burst took from it")


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
