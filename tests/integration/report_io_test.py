#!/usr/bin/env python3
"""Integration tests of the run folder's I/O: the ack log (report.ack_log = true) read back by
`tickpath acks`, and report files that cannot be written (a full filesystem) — the run still
completes, exits 3 and names the file.

Run by meson (suite `integration`) as: report_io_test.py <tickpath binary> <source root>.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import tickpath_run_test as harness

EXIT_REPORT_INCOMPLETE = 3  # apps/tickpath/cli_error.hpp: kExitReportIncomplete


def tickpath(*args, timeout=120):
    return subprocess.run([harness.BINARY, *args], capture_output=True, text=True, timeout=timeout)


def report_folder(stdout):
    lines = [l for l in stdout.splitlines() if l.startswith("report: ")]
    if not lines:
        raise AssertionError("no 'report: <dir>' line: the run did not complete\n" + stdout[-3000:])
    return lines[-1].split("report: ", 1)[1].strip()


def acks_summary(stdout):
    """`records N   dropped M   logged ...` from `tickpath acks FILE`."""
    line = next(l for l in stdout.splitlines() if l.startswith("records "))
    words = line.split()
    return int(words[1]), int(words[3])


class AckLog(unittest.TestCase):
    def test_the_ack_log_read_back_accounts_for_every_ack_of_the_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            # A small queue so that, on this shared machine, the log may also drop: the
            # accounting must hold either way.
            r = harness.run_tickpath("run", "--events", "300000", "--report-dir", tmp,
                                     "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000",
                                     "--set", "report.ack_log=true", "--set", "report.ack_queue=4096")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            folder = report_folder(r.stdout)
            with open(os.path.join(folder, "summary.json")) as f:
                s = json.load(f)
            log = s["ack_log"]
            acks = s["events"]["executed"] + s["events"]["provisional"]
            self.assertEqual(log["errors"], [])
            self.assertEqual(s["report"]["errors"], [])
            self.assertEqual(log["records"] + log["dropped"], acks, log)
            self.assertEqual(log["queued"], log["records"])
            self.assertEqual(log["unwritten"], 0)
            self.assertEqual(log["queue_capacity"], 4096)
            path = os.path.join(folder, "acks.bin")
            self.assertEqual(os.path.getsize(path), log["bytes"])
            self.assertEqual(log["bytes"], 64 + 64 * log["records"])

            a = tickpath("acks", path)
            self.assertEqual(a.returncode, 0, a.stderr)
            self.assertEqual(acks_summary(a.stdout), (log["records"], log["dropped"]), a.stdout)
            self.assertIn("ingest_to_ack", a.stdout)

            c = tickpath("acks", path, "--csv")
            self.assertEqual(c.returncode, 0, c.stderr)
            rows = c.stdout.splitlines()
            self.assertEqual(rows[0].split(",")[0], "event_seq")
            self.assertEqual(len(rows) - 1, log["records"])
            seqs = [int(row.split(",", 1)[0]) for row in rows[1:]]
            self.assertEqual(seqs, sorted(set(seqs)), "records are in event order, each once")
            # Every event sequence missing between logged records is one the log dropped.
            self.assertLessEqual(seqs[-1] - seqs[0] + 1 - len(seqs), log["dropped"])
            self.assertLess(seqs[-1], acks)
            states = {row.rsplit(",", 2)[1] for row in rows[1:]}
            self.assertLessEqual(states, {"WARMUP", "READY"})

    def test_without_the_ack_log_there_is_no_file_and_the_summary_says_so(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = harness.run_tickpath("run", "--events", "100000", "--report-dir", tmp,
                                     "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000")
            self.assertEqual(r.returncode, 0, r.stdout[-2000:] + r.stderr[-2000:])
            folder = report_folder(r.stdout)
            with open(os.path.join(folder, "summary.json")) as f:
                s = json.load(f)
            self.assertIsNone(s["ack_log"])
            self.assertEqual(s["report"]["errors"], [])
            self.assertFalse(os.path.exists(os.path.join(folder, "acks.bin")))

    def test_bad_ack_logs_are_rejected_with_what_was_wrong(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = tickpath("acks", os.path.join(tmp, "nope.bin"))
            self.assertEqual(missing.returncode, 2)
            self.assertIn("nope.bin: cannot open: No such file or directory", missing.stderr)

            not_a_log = os.path.join(tmp, "summary.json")
            with open(not_a_log, "w") as f:
                f.write("{" * 100)
            r = tickpath("acks", not_a_log)
            self.assertEqual(r.returncode, 2)
            self.assertIn("bad magic", r.stderr)

            # A finished header for 3 records, then 2.5 records: truncated.
            header = bytearray(b"TPACKLOG") + (1).to_bytes(2, "little") + (64).to_bytes(2, "little") \
                + (64).to_bytes(4, "little") + (10**9).to_bytes(8, "little") + bytes(16) \
                + (3).to_bytes(8, "little") + (0).to_bytes(8, "little") + bytes(8)
            self.assertEqual(len(header), 64)
            truncated = os.path.join(tmp, "acks.bin")
            with open(truncated, "wb") as f:
                f.write(header + bytes(64 * 2 + 32))
            r = tickpath("acks", truncated, "--csv")
            self.assertEqual(r.returncode, 2)
            self.assertIn("truncated", r.stderr)
            self.assertEqual(r.stdout, "", "no rows are printed from a bad file")


class FullFilesystem(unittest.TestCase):
    """A tmpfs too small for the report, mounted as --report-dir (root only)."""

    def mount_tiny(self, size):
        if not harness.IS_ROOT:
            self.skipTest("needs root to mount a tmpfs")
        folder = tempfile.mkdtemp(prefix="tickpath-tiny-")
        m = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder],
                           capture_output=True, text=True)
        if m.returncode != 0:
            os.rmdir(folder)
            self.skipTest(f"cannot mount a tmpfs here: {m.stderr.strip()}")

        def cleanup():
            subprocess.run(["umount", folder], check=False)
            os.rmdir(folder)

        self.addCleanup(cleanup)
        return folder

    def test_a_summary_that_does_not_fit_exits_3_and_names_the_file(self):
        folder = self.mount_tiny("4k")  # one page; summary.json is about 9 KB
        r = harness.run_tickpath("run", "--duration", "1", "--report-dir", folder,
                                 "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000")
        self.assertEqual(r.returncode, EXIT_REPORT_INCOMPLETE, r.stdout[-2000:] + r.stderr[-2000:])
        report_folder(r.stdout)  # the run completed and printed its table
        self.assertIn("frames", r.stdout)
        self.assertIn("report incomplete: summary.json: write: No space left on device", r.stderr)
        self.assertIn(f"(exit {EXIT_REPORT_INCOMPLETE})", r.stderr)

    def test_an_ack_log_that_fills_the_disk_exits_3_and_names_acks_bin(self):
        folder = self.mount_tiny("16k")
        r = harness.run_tickpath("run", "--duration", "1", "--report-dir", folder,
                                 "--set", "eal.hugepages=\"off\"", "--set", "warmup.steps=1000",
                                 "--set", "report.ack_log=true")
        self.assertEqual(r.returncode, EXIT_REPORT_INCOMPLETE, r.stdout[-2000:] + r.stderr[-2000:])
        run_folder = report_folder(r.stdout)
        self.assertIn("report incomplete: acks.bin: write: No space left on device", r.stderr)
        # summary.json, if it could be written at all, names the failure too.
        try:
            with open(os.path.join(run_folder, "summary.json")) as f:
                s = json.load(f)
        except (OSError, ValueError):
            s = None
        if s is not None:
            self.assertTrue(any("acks.bin" in e for e in s["report"]["errors"]), s["report"])
        # The hot path never waited for the disk: every event was still executed.
        self.assertIn("executed", r.stdout)


if __name__ == "__main__":
    harness.BINARY = os.path.abspath(sys.argv[1])
    harness.SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
