#!/usr/bin/env python3
"""The doc checker's matching can fail: each rule of doc_examples.py on lines crafted to pass and to
fail, and a page's blocks parsed (only ```console blocks opt in)."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_examples as d  # noqa: E402


class Matching(unittest.TestCase):
    def test_figures_are_masked_but_words_are_not(self):
        self.assertTrue(d.matches(["events/s   6.50M  p50 1.29us"], ["events/s  12.01M  p50 980ns"]))
        self.assertFalse(d.matches(["events/s   6.50M  p50 1.29us"], ["events/s   6.50M  p90 1.29us"]))
        self.assertTrue(d.matches(["report: /tmp/ops/20261125T071110Z"], ["report: /tmp/ops/20261129T051502Z"]))

    def test_a_commit_is_a_figure(self):
        self.assertTrue(d.matches(["tickpath 0.1.0 (git 255b341c0a1b-dirty)"], ["tickpath 0.2.0 (git 3ea7530e1f2d)"]))
        self.assertFalse(d.matches(["tickpath 0.1.0 (git 255b341c0a1b-dirty)"], ["tickpath 0.1.0 (svn 3ea7530e1f2d)"]))

    def test_names_with_digits_stay_literal(self):
        self.assertFalse(d.matches(["thread tp-pmd-jit1 p99.99"], ["thread tp-pmd-jit2 p99.99"]))
        self.assertFalse(d.matches(["p99.99 1us"], ["p99.9 1us"]))

    def test_an_exit_code_line_is_exact(self):
        self.assertTrue(d.matches(["2"], ["2"]))
        self.assertFalse(d.matches(["2"], ["1"]))

    def test_a_missing_or_an_extra_line_fails(self):
        self.assertFalse(d.matches(["a 1", "b 2"], ["a 1"]))
        self.assertFalse(d.matches(["a 1"], ["a 1", "tickpath: warning: something new"]))

    def test_repeated_lines_match_one_or_more_but_not_none(self):
        live = ["t=1.0s READY x 5", "t=2.0s READY x 6", "t=3.0s READY x 7", "end"]
        self.assertTrue(d.matches(live, ["t=1.0s READY x 9", "end"]))
        self.assertTrue(d.matches(live, ["t=1.0s READY x 9"] * 6 + ["end"]))
        self.assertFalse(d.matches(live, ["end"]))
        self.assertFalse(d.matches(live, ["t=1.0s DEGRADED x 9", "end"]))

    def test_an_ellipsis_stands_for_any_lines(self):
        self.assertTrue(d.matches(["top", "...", "bottom 3"], ["top", "bottom 4"]))
        self.assertTrue(d.matches(["top", "...", "bottom 3"], ["top", "x", "y", "bottom 4"]))
        self.assertFalse(d.matches(["top", "...", "bottom 3"], ["top", "x"]))


class Parsing(unittest.TestCase):
    def test_only_console_blocks_opt_in_and_commands_own_their_output(self):
        page = "\n".join(["# t", "```", "$ not run", "```", "```sh", "$ not run either", "```", "```console",
                          "$ echo a \\", "> b", "a b", "$ false; echo $?", "1", "```", ""])
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
            f.write(page)
        try:
            blocks = d.parse_blocks(f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(len(blocks), 1)
        self.assertEqual(blocks[0].commands, [["echo a \\\nb", ["a b"]], ["false; echo $?", ["1"]]])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
