#!/usr/bin/env python3
"""Integration tests: the real `tickpath audit` binary against the fixture hosts and this host.

Run by meson (suite `integration`) as: audit_test.py <tickpath binary> <source root>.
Exit codes: 0 all PASS/SKIP, 1 some WARN, 2 some FAIL, 64 a usage or config error.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BINARY = None
SOURCE_ROOT = None
STATUSES = {"PASS", "WARN", "FAIL", "SKIP"}


def fixture(name):
    return os.path.join(SOURCE_ROOT, "tests", "platform", "audit", "fixtures", name)


def baremetal():
    return ["--config", os.path.join(SOURCE_ROOT, "config", "baremetal.toml")]


def audit(*args):
    return subprocess.run([BINARY, "audit", *args], capture_output=True, text=True, timeout=60)


def table_rows(stdout):
    """The check lines of the table: they start with a status word."""
    return [l for l in stdout.splitlines() if l.split(" ", 1)[0] in STATUSES]


class AuditExitCodes(unittest.TestCase):
    def test_tuned_host_exits_0(self):
        r = audit(*baremetal(), "--root", fixture("tuned"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        rows = table_rows(r.stdout)
        self.assertGreater(len(rows), 20)
        self.assertTrue(all(l.startswith(("PASS", "SKIP")) for l in rows), r.stdout)

    def test_untuned_host_exits_2(self):
        r = audit(*baremetal(), "--root", fixture("untuned"))
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("FAIL   cpu.isolated", r.stdout)

    def test_vm_exits_2_with_skips_for_what_the_host_controls(self):
        r = audit("--root", fixture("vm"))
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"SKIP\s+cpufreq.governor\s+VM \(hypervisor flag\)")

    def test_only_warnings_exit_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "host")
            shutil.copytree(fixture("tuned"), root, symlinks=True)
            with open(os.path.join(root, "proc", "sys", "vm", "swappiness"), "w") as f:
                f.write("60\n")
            r = audit(*baremetal(), "--root", root)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"WARN\s+vm.swappiness\s+60")

    def test_set_overrides_reach_the_plan(self):
        # cpu 3 is on node 1, the port on node 0: the audit must see the override.
        r = audit(*baremetal(), "--set", "cores.execution=3", "--root", fixture("tuned"), "--json")
        self.assertEqual(r.returncode, 2, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["hot_cpus"], [2, 3])
        numa = next(c for c in doc["checks"] if c["name"] == "port.numa")
        self.assertEqual(numa["status"], "FAIL")


class AuditUsageErrors(unittest.TestCase):
    """Usage errors exit 64, never 2, so a script can tell them from a failed check."""

    def check_usage_error(self, r, needle):
        self.assertEqual(r.returncode, 64, r.stdout + r.stderr)
        self.assertIn(needle, r.stderr)
        self.assertEqual(table_rows(r.stdout), [])

    def test_unknown_flag(self):
        self.check_usage_error(audit("--no-such-flag"), "--no-such-flag")

    def test_bad_config_key(self):
        self.check_usage_error(audit("--set", "cores.nope=1"), "cores.nope")

    def test_missing_root(self):
        self.check_usage_error(audit("--root", "/nonexistent/tickpath-root"), "/nonexistent/tickpath-root")


class AuditJson(unittest.TestCase):
    def check_document(self, doc, table_stdout):
        self.assertEqual(doc["schema"], "tickpath.audit/1")
        self.assertIsInstance(doc["checks"], list)
        self.assertGreater(len(doc["checks"]), 20)
        for c in doc["checks"]:
            self.assertEqual(set(c), {"status", "name", "found", "expected", "hint"}, c)
            self.assertIn(c["status"], STATUSES)
            self.assertTrue(c["name"] and c["found"] and c["expected"], c)
        s = doc["summary"]
        for status in STATUSES:
            self.assertEqual(s[status.lower()], sum(1 for c in doc["checks"] if c["status"] == status))
        self.assertEqual(len(table_rows(table_stdout)), len(doc["checks"]))
        names_in_table = [l.split()[1] for l in table_rows(table_stdout)]
        self.assertEqual(names_in_table, [c["name"] for c in doc["checks"]])

    def test_json_of_each_fixture_matches_its_table_and_exit_code(self):
        for name, args in (("tuned", baremetal()), ("untuned", baremetal()), ("vm", [])):
            with self.subTest(fixture=name):
                j = audit(*args, "--root", fixture(name), "--json")
                t = audit(*args, "--root", fixture(name))
                doc = json.loads(j.stdout)
                self.check_document(doc, t.stdout)
                self.assertEqual(doc["summary"]["exit_code"], j.returncode)
                self.assertEqual(j.returncode, t.returncode)

    def test_real_host_structure(self):
        # Statuses depend on the machine: only the structure is checked.
        j = audit("--json")
        self.assertIn(j.returncode, (0, 1, 2), j.stderr)
        doc = json.loads(j.stdout)
        self.assertEqual(doc["root"], "/")
        self.assertEqual(doc["summary"]["exit_code"], j.returncode)
        t = audit()
        self.assertIn(t.returncode, (0, 1, 2), t.stderr)
        self.check_document(doc, t.stdout)
        tsc = next(c for c in doc["checks"] if c["name"] == "tsc.frequency")
        self.assertNotIn("--root", tsc["found"], "the real root is measured live")


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv[1])
    SOURCE_ROOT = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0], "-v"] + sys.argv[3:])
