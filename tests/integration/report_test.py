#!/usr/bin/env python3
"""Integration tests of the run folder's report files and of `tickpath report` / `tickpath compare`.

Run by meson (suite `integration`) as: report_test.py <tickpath binary> <source root>.
One real run (null PMD, a scheduled outage so the page has a failure window) is shared by the
tests that read its folder; compare runs on folders crafted from it.
"""
import base64
import copy
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

import tickpath_run_test as harness

_RUN = {}


def shared_run():
    """One 3 s run for the whole module (the machine is shared: do not start one per test)."""
    if "dir" not in _RUN:
        tmp = tempfile.mkdtemp(prefix="tickpath-report-it-")
        r = harness.run_tickpath("run", "--duration", "3", "--report-dir", tmp,
                                 "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000",
                                 "--set", "failure.schedule=[{scenario=\"market_data_outage\", "
                                          "at_event=300000, for_events=200000}]")
        if r.returncode != 0:
            raise AssertionError(r.stdout[-3000:] + r.stderr[-3000:])
        lines = [l for l in r.stdout.splitlines() if l.startswith("report: ")]
        _RUN.update(tmp=tmp, dir=lines[-1].split("report: ", 1)[1].strip())
    return _RUN["dir"]


def read(folder, name):
    with open(os.path.join(folder, name)) as f:
        return f.read()


def stages_of(summary):
    return [k for k, v in summary["latency"].items() if isinstance(v, dict)]


def decode_v2(b64):
    """HdrHistogram's V2 compressed histogram -> (significant digits, {counts index: count})."""
    raw = base64.b64decode(b64)
    cookie, length = struct.unpack(">iI", raw[:8])
    assert cookie == 0x1c849314, hex(cookie)
    enc = zlib.decompress(raw[8:8 + length])
    cookie, payload_len, offset, digits = struct.unpack(">iiii", enc[:16])
    assert cookie == 0x1c849313 and offset == 0 and payload_len == len(enc) - 40
    counts, index, pos = {}, 0, 40
    while pos < len(enc):
        value, shift = 0, 0
        for i in range(9):
            b = enc[pos]
            pos += 1
            if i == 8:
                value |= b << 56
                break
            value |= (b & 0x7f) << shift
            shift += 7
            if not b & 0x80:
                break
        value = (value >> 1) ^ -(value & 1)
        if value < 0:
            index += -value
        else:
            if value:
                counts[index] = value
            index += 1
    return digits, counts


def hlog_entries(text):
    out = []
    for line in text.splitlines():
        if not line.startswith("Tag="):
            continue
        tag, start, length, max_ms, hist = line[4:].split(",")
        out.append((tag, float(start), float(length), decode_v2(hist)[1]))
    return out


class RunFolderFiles(unittest.TestCase):
    def test_every_report_file_is_written_and_agrees_with_the_summary(self):
        folder = shared_run()
        s = json.loads(read(folder, "summary.json"))
        stages = stages_of(s)
        self.assertIn("ingest_to_ack", stages)
        recorded = [st for st in stages if s["latency"][st]["count"] > 0 or st == "ingest_to_ack"]
        for name in ["latency.hgrm", "latency.hlog", "timeline.csv", "report.html"] + \
                    [f"latency-{st}.hgrm" for st in recorded]:
            self.assertTrue(os.path.getsize(os.path.join(folder, name)) > 0, name)
        # A stage without a sample has no .hgrm of zeros.
        for st in set(stages) - set(recorded):
            self.assertFalse(os.path.exists(os.path.join(folder, f"latency-{st}.hgrm")), st)

    def test_timeline_csv_has_one_row_per_interval_and_accounts_for_every_event(self):
        folder = shared_run()
        s = json.loads(read(folder, "summary.json"))
        rows = read(folder, "timeline.csv").strip().splitlines()
        header = rows[0].split(",")
        body = [dict(zip(header, r.split(","))) for r in rows[1:]]
        # timeline.csv is the record (the summary only counts its rows: memory O(1) in the run).
        self.assertEqual(s["control"]["timeline_file"], "timeline.csv")
        self.assertEqual(len(body), s["control"]["intervals"])
        self.assertGreaterEqual(len(body), 3)  # 3 s at 1 s intervals, plus the drained tail if any
        self.assertEqual(sum(int(r["events"]) for r in body), s["events"]["published"])
        for col in ["t_s", "events_per_s", "nic_missed", "malformed", "state", "failures",
                    "overruns_execution", "ingest_to_ack_p50_ns", "ingest_to_ack_p99_ns",
                    "ingest_to_ack_p99_9_ns", "ingest_to_ack_max_ns"]:
            self.assertIn(col, header)
        self.assertEqual([float(r["t_s"]) for r in body], sorted(float(r["t_s"]) for r in body))

    def test_hlog_intervals_add_up_to_each_stage_count(self):
        folder = shared_run()
        s = json.loads(read(folder, "summary.json"))
        text = read(folder, "latency.hlog")
        self.assertIn("#[Histogram log format version 1.3]", text)
        self.assertIn('"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"', text)
        entries = hlog_entries(text)
        intervals = s["control"]["intervals"]
        for stage in stages_of(s):
            mine = [e for e in entries if e[0] == stage]
            self.assertEqual(len(mine), intervals, stage)
            self.assertEqual(sum(sum(e[3].values()) for e in mine), s["latency"][stage]["count"], stage)

    def test_hgrm_ends_at_the_total_count_and_its_p99_is_the_summarys(self):
        folder = shared_run()
        s = json.loads(read(folder, "summary.json"))
        lat = s["latency"]["ingest_to_ack"]
        text = read(folder, "latency.hgrm")
        self.assertTrue(text.startswith("       Value     Percentile TotalCount 1/(1-Percentile)\n\n"))
        rows = [l.split() for l in text.splitlines() if l and not l.startswith("#") and "Value" not in l]
        self.assertEqual(int(rows[-1][2]), lat["count"])
        self.assertEqual(float(rows[-1][1]), 1.0)
        self.assertRegex(text, r"#\[Max     = +[0-9.]+, Total count    = +%d\]" % lat["count"])
        self.assertIn("#[Buckets = ", text)
        # The reporting levels step over 99%: the summary's p99 lies between the rows around it
        # (µs in the file, ns in the summary; 0.1% for the ns histogram's buckets, 1 ns rounding).
        below = max(float(r[0]) for r in rows if float(r[1]) <= 0.99) * 1000.0
        above = min(float(r[0]) for r in rows if float(r[1]) >= 0.99) * 1000.0
        slack = lat["p99_ns"] * 0.001 + 1.0
        self.assertLessEqual(below - slack, lat["p99_ns"])
        self.assertGreaterEqual(above + slack, lat["p99_ns"])

    def test_report_html_has_one_plot_per_stage_and_no_external_url(self):
        folder = shared_run()
        s = json.loads(read(folder, "summary.json"))
        html = read(folder, "report.html")
        # A plot for every stage with samples; a stage without any (wire_to_ack on the null PMD:
        # no sender timestamp) is named with a note instead of an empty chart.
        sampled = [k for k in stages_of(s) if s["latency"][k]["count"] > 0]
        self.assertGreater(len(sampled), 0)
        self.assertEqual(len(re.findall(r'class="plot percentile"', html)), len(sampled))
        self.assertEqual(len(re.findall(r'class="plot percentile empty"', html)), len(stages_of(s)) - len(sampled))
        for stage in stages_of(s):
            self.assertIn(f'data-stage="{stage}"', html)
        self.assertNotIn("http://", html)
        self.assertNotIn("https://", html)
        self.assertNotIn("<script", html)
        self.assertIn("market_data_outage", html)  # the failure window is marked
        self.assertIn("<title>DEGRADED</title>", html)


class ReportCommand(unittest.TestCase):
    def copy_run(self, tmp, name="run"):
        dst = os.path.join(tmp, name)
        shutil.copytree(shared_run(), dst)
        return dst

    def test_report_rerenders_the_same_page_from_the_data_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = self.copy_run(tmp, os.path.basename(shared_run()))
            original = read(folder, "report.html")
            os.remove(os.path.join(folder, "report.html"))
            r = harness.run_tickpath("report", folder)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(read(folder, "report.html"), original)

    def test_a_missing_or_corrupt_data_file_is_named(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = self.copy_run(tmp)
            os.remove(os.path.join(folder, "timeline.csv"))
            r = harness.run_tickpath("report", folder)
            self.assertEqual(r.returncode, 1)  # a run folder with a damaged file: 1 (2 is for no run folder at all)
            self.assertIn("timeline.csv", r.stderr)
            folder = self.copy_run(tmp, "run2")
            lines = read(folder, "latency.hlog").splitlines()
            lines[6] = lines[6][:-12] + "!!!!" + lines[6][-8:]
            with open(os.path.join(folder, "latency.hlog"), "w") as f:
                f.write("\n".join(lines) + "\n")
            r = harness.run_tickpath("report", folder)
            self.assertEqual(r.returncode, 1)
            self.assertIn("latency.hlog: line 7", r.stderr)


    def test_a_summary_written_before_the_key_rename_is_refused_by_name_not_read_as_zeros(self):
        # docs/operations.md "Renamed keys": latency_ns.<stage>.p50 became latency.<stage>.p50_ns.
        with tempfile.TemporaryDirectory() as tmp:
            folder = self.copy_run(tmp, "old")
            path = os.path.join(folder, "summary.json")
            with open(path) as f:
                s = json.load(f)
            s["latency_ns"] = {stage: {k.removesuffix("_ns"): v for k, v in figures.items()}
                               if isinstance(figures, dict) else figures for stage, figures in s.pop("latency").items()}
            with open(path, "w") as f:
                json.dump(s, f)
            for command in (["report", folder], ["compare", folder, shared_run()]):
                r = harness.run_tickpath(*command)
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn('summary.json: field "latency_ns": a summary.json from before the key rename', r.stderr)


class CompareCommand(unittest.TestCase):
    @staticmethod
    def craft(src, dst, p99_factor=1.0, rate_factor=1.0, ring=None):
        shutil.copytree(src, dst)
        path = os.path.join(dst, "summary.json")
        with open(path) as f:
            s = json.load(f)
        s["latency"]["ingest_to_ack"]["p99_ns"] *= p99_factor
        s["throughput"]["events_per_s"] *= rate_factor
        s["throughput"]["acked_per_s"] *= rate_factor
        if ring is not None:
            s["config"]["ring"]["capacity"] = ring
        with open(path, "w") as f:
            json.dump(s, f)
        return s

    @staticmethod
    def row(stdout, metric):
        for line in stdout.splitlines():
            if line.startswith(metric + " "):
                return line.split()
        raise AssertionError(f"no row {metric} in:\n{stdout}")

    def test_two_single_runs_give_the_expected_ratios_verdicts_and_config_difference(self):
        with tempfile.TemporaryDirectory() as tmp:
            a = self.craft(shared_run(), os.path.join(tmp, "a"))
            ring = a["config"]["ring"]["capacity"]
            self.craft(shared_run(), os.path.join(tmp, "b"), p99_factor=2.0, rate_factor=0.5, ring=ring * 2)
            out = os.path.join(tmp, "ab.html")
            r = harness.run_tickpath("compare", os.path.join(tmp, "a"), os.path.join(tmp, "b"), "--html", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            p99 = self.row(r.stdout, "latency.ingest_to_ack.p99_ns")
            self.assertEqual(p99[-3:-1], ["2.000", "worse"])
            rate = self.row(r.stdout, "throughput.acked_per_s")
            self.assertEqual(rate[-3:-1], ["0.500", "worse"])
            published = self.row(r.stdout, "throughput.events_per_s")
            self.assertEqual(published[-2:], ["0.500", "info"])  # shown, never judged (no noise column)
            p50 = self.row(r.stdout, "latency.ingest_to_ack.p50_ns")
            self.assertEqual(p50[-3:-1], ["1.000", "same"])
            self.assertIn("config.ring.capacity", r.stdout)
            html = read(tmp, "ab.html")
            self.assertNotIn("http://", html)
            self.assertNotIn("https://", html)
            fig = html[html.index('data-stage="ingest_to_ack"'):]
            fig = fig[:fig.index("</figure>")]
            self.assertEqual(fig.count('class="curve"'), 2)  # both percentile curves overlaid

    def test_repeated_runs_judge_a_difference_against_their_spread(self):
        with tempfile.TemporaryDirectory() as tmp:
            # A: p99 × 0.8, 1.0, 1.2 (±20%); B: +10% (inside the noise); C: × 3 (outside it).
            for side, factors in [("a", [0.8, 1.0, 1.2]), ("b", [0.9, 1.1, 1.3]), ("c", [2.9, 3.0, 3.1])]:
                for i, f in enumerate(factors, 1):
                    self.craft(shared_run(), os.path.join(tmp, side, f"run-{i}"), p99_factor=f)
                with open(os.path.join(tmp, side, "aggregate.json"), "w") as fh:
                    fh.write("{}")
            r = harness.run_tickpath("compare", os.path.join(tmp, "a"), os.path.join(tmp, "b"))
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("(3 runs)", r.stdout)
            row = self.row(r.stdout, "latency.ingest_to_ack.p99_ns")
            self.assertIn("1.100", row)
            self.assertIn("same", row)
            r = harness.run_tickpath("compare", os.path.join(tmp, "a"), os.path.join(tmp, "c"))
            row = self.row(r.stdout, "latency.ingest_to_ack.p99_ns")
            self.assertIn("3.000", row)
            self.assertIn("worse", row)

    def test_a_folder_that_is_not_a_run_is_an_error_naming_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = harness.run_tickpath("compare", tmp, shared_run())
            self.assertEqual(r.returncode, 2)
            self.assertIn(tmp, r.stderr)


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    try:
        unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
    finally:
        if "tmp" in _RUN:
            shutil.rmtree(_RUN["tmp"], ignore_errors=True)
