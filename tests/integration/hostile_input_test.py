#!/usr/bin/env python3
"""Integration tests of hostile input: the real binary given what an attacker or an
unlucky operator would give it. Each case used to hang, abort (exit 134) or allocate gigabytes;
each must now be a clean error naming what was wrong, or a counted drop.

Run by meson (suite `integration`) as: hostile_input_test.py <tickpath binary> <source root>.
Only the wrapped-sequence feed starts the EAL; every other case is rejected before it.
"""
import base64
import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

import tickpath_run_test as harness


def tickpath_bytes(*args, timeout=60):
    """Arguments as bytes: some are deliberately not UTF-8."""
    cmd = [os.fsencode(harness.BINARY), *[a if isinstance(a, bytes) else a.encode() for a in args]]
    return subprocess.run(cmd, capture_output=True, timeout=timeout)


class ArgumentsThatAreNotUtf8(unittest.TestCase):
    def test_report_dir_is_rejected_with_exit_2_naming_the_option(self):
        r = tickpath_bytes("run", "--report-dir", b"/tmp/\xff\xfe")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(b"--report-dir: not valid UTF-8", r.stderr)
        self.assertNotIn(b"EAL", r.stdout + r.stderr)

    def test_set_value_is_rejected_with_exit_2_naming_the_option(self):
        r = tickpath_bytes("run", "--set", b"report.dir=\xc3")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(b"--set: not valid UTF-8", r.stderr)


class ConfigOutOfRange(unittest.TestCase):
    def test_each_bad_value_exits_2_naming_its_key_before_the_eal(self):
        cases = {
            "warmup.steps=9223372036854775807": "warmup.steps",
            "run.duration_s=1e-300": "run.duration_s",
            "health.max_lag_events=1000000000": "health.max_lag_events",
            'http.listen="not-an-address"': "http.listen",
        }
        for setting, key in cases.items():
            r = harness.run_tickpath("run", "--set", setting)
            self.assertEqual(r.returncode, 2, setting + ": " + r.stdout + r.stderr)
            self.assertIn(key, r.stderr, setting)
            self.assertNotIn("EAL: ", r.stdout + r.stderr, setting)
        r = harness.run_tickpath("run", "--set", "port.rx_descriptors=16384", "--set", "port.mbufs=511",
                                 "--set", "port.mbuf_cache=0")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("port.mbufs", r.stderr)


def v2_histogram(digits, highest, counts):
    """HdrHistogram's V2 compressed form of {index: count}, base64 (as in a .hlog line)."""
    def zigzag(v):
        u = ((v << 1) ^ (v >> 63)) & (2**64 - 1)
        out = b""
        for i in range(9):
            if i == 8:
                return out + bytes([u & 0xFF])
            b, u = u & 0x7F, u >> 7
            if not u:
                return out + bytes([b])
            out += bytes([b | 0x80])
        return out
    payload, at = b"", 0
    for index, count in sorted(counts.items()):
        if index > at:
            payload += zigzag(-(index - at))
        payload += zigzag(count)
        at = index + 1
    raw = struct.pack(">IIIIqqd", 0x1C849313, len(payload), 0, digits, 1, highest, 1.0) + payload
    comp = zlib.compress(raw)
    return base64.b64encode(struct.pack(">II", 0x1C849314, len(comp)) + comp).decode()


HLOG_HEADER = ('#[Histogram log format version 1.3]\n'
               '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"\n')


class ReportFilesOfTheWrongShape(unittest.TestCase):
    def folder(self, tmp, name, summary, hlog=None):
        d = os.path.join(tmp, name)
        os.makedirs(d)
        with open(os.path.join(d, "summary.json"), "w") as f:
            f.write(summary)
        with open(os.path.join(d, "latency.hlog"), "w") as f:
            f.write(hlog if hlog is not None else HLOG_HEADER)
        with open(os.path.join(d, "timeline.csv"), "w") as f:
            f.write("t_s,events_per_s\n1.000,10\n")
        return d

    def test_report_and_compare_exit_1_naming_the_file_and_field(self):
        cases = {
            '{"events":{},"duration_s":"ten"}': 'field "duration_s": expected a finite number >= 0, found a string',
            '{"events":null}': 'field "events": expected an object, found null',
            '{"events":{},"platform":{"hugepages":1}}': 'field "platform.hugepages": expected a boolean, found a number',
        }
        with tempfile.TemporaryDirectory() as tmp:
            good = self.folder(tmp, "good", '{"events":{}}')
            r = tickpath_bytes("report", good)
            self.assertEqual(r.returncode, 0, r.stderr)  # only `events`: used to abort (substr out_of_range)
            r = tickpath_bytes("compare", good, good)
            self.assertEqual(r.returncode, 0, r.stderr)
            for i, (summary, message) in enumerate(cases.items()):
                bad = self.folder(tmp, f"bad{i}", summary)
                for args in (("report", bad), ("compare", good, bad)):
                    r = tickpath_bytes(*args)
                    self.assertEqual(r.returncode, 1, summary + r.stderr.decode())
                    self.assertIn(f"{bad}/summary.json: {message}".encode(), r.stderr, summary)

    def test_hostile_hlogs_are_errors_naming_the_line(self):
        big = HLOG_HEADER + f"Tag=queue,0.000,1.000,0.001,{v2_histogram(5, 2**63 - 1, {5: 1})}\n"
        two = (HLOG_HEADER + f"Tag=queue,0.000,1.000,0.001,{v2_histogram(3, 3600000000000, {100: 1})}\n"
               f"Tag=queue,1.000,1.000,0.001,{v2_histogram(2, 1000000, {100: 1})}\n")
        with tempfile.TemporaryDirectory() as tmp:
            for name, hlog, message in (("big", big, "latency.hlog: line 3: histogram: 5 significant digits"),
                                        ("two", two, 'latency.hlog: line 4: tag "queue": highest trackable')):
                d = self.folder(tmp, name, '{"events":{}}', hlog)
                r = tickpath_bytes("report", d)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn(message.encode(), r.stderr)


class WrappedSequenceNumbers(unittest.TestCase):
    def test_a_feed_whose_numbers_wrap_past_2_64_is_counted_not_a_hang(self):
        # Issue 14: these two frames sent the tracker into ~2^64 iterations; the run never ended.
        frames = [harness.mold_frame(1, [b"a" * 20]),
                  harness.mold_frame(2**64 - 2, [b"b" * 20] * 5),
                  harness.mold_frame(2, [b"c" * 20])]
        with tempfile.TemporaryDirectory() as tmp:
            pcap = os.path.join(tmp, "wrap.pcap")
            harness.write_pcap(pcap, frames)
            r = harness.run_tickpath("run", "--duration", "2", "--report-dir", tmp,
                                     "--config", os.path.join(harness.SOURCE_ROOT, "config", "pcap.toml"),
                                     "--set", f"port.vdev=\"net_pcap0,rx_pcap={pcap}\"",
                                     "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1", timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            ev = harness.load_summary(r.stdout)["events"]
            self.assertEqual(ev["drops"]["sequence_overflow"], 1)
            self.assertEqual(ev["published"], 2)
            self.assertEqual(ev["feed"]["gaps"], 0)


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
