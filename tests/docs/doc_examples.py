#!/usr/bin/env python3
"""Executable docs: every ```console block of README.md and docs/*.md is run, and what it prints
must match what the page shows.

A page opts in per block: only fenced blocks whose info string is `console` are run; ``` / ```sh /
```toml blocks are prose and never run. In a console block:
  $ command          a command, run by bash (one bash per block, so `cd` and variables carry over)
  > more             a continuation line of the command above
  anything else      what the command printed, stdout and stderr together, as on a terminal
  ...                (a line of its own) any number of lines, including none: elides machine detail

Matching: the commands run under a pseudo-terminal (line-buffered, in the order a user sees);
machine-dependent figures are masked, so the words, lines and their order are checked but not the
numbers: every number (with its unit: 1.29us, 6.50M, 12%, 20261125T071110Z, 127.0.0.1:9109, and a
commit such as 255b341c0a1b-dirty) matches any number, runs of spaces match any run of spaces (columns), and consecutive lines that mask to the
same pattern (the live lines t=1.0s, t=2.0s, ...) match one or more such lines. A line that is only
an integer (`echo $?`) is matched exactly: exit codes are not machine figures.

Substitution (the only one): `tickpath` is a wrapper around the built binary that adds
`--set eal.file_prefix="tpdoc-<pid>" --set http.listen="127.0.0.1:0"` to `run` and `sweep` (unless
the command sets them itself), so a doc example never collides with another appliance on the machine.
Each block runs in a fresh temporary folder holding links to the source tree's top-level entries
(`config/laptop.toml` resolves; a relative --report-dir lands in the temporary folder).

  doc_examples.py --binary B --source DIR [PAGE...]           check (exit 1 with a diff on mismatch)
  doc_examples.py --binary B --source DIR --regen [PAGE...]   rewrite, from a real run, the output of
                                                              every command that no longer matches
"""
import argparse
import glob
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time

FENCE = re.compile(r"^(\s*)```(.*)$")
# A figure: a number not glued to a word (p99, c2c, tp-pmd-jit1 stay literal), with its unit.
# A run folder's UTC stamp (20261125T071110Z) counts as one figure.
UNIT = r"(?:ns|us|µs|ms|s|M|k|K|G|%|x|×|MiB|KiB|GiB|MB|KB|B)?"
# A commit as `git describe` prints it (hex with a digit and a letter, maybe -dirty) is one too.
COMMIT = r"(?=[0-9a-f]{7,40}\b)(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{7,40}(?:-dirty)?"
FIGURE = r"(?:\d{8}T\d{6}Z|" + COMMIT + r"|[-+]?(?>\d+(?:[.,:]\d+)*)" + UNIT + ")"
NUMBER = re.compile(r"(?<![A-Za-z_\d.])" + FIGURE + r"(?![A-Za-z_\d])")
SPACES = re.compile(r" {2,}| ")
ELLIPSIS = "..."


class Block:
    def __init__(self, page, line, indent):
        self.page, self.line, self.indent = page, line, indent
        self.commands = []  # [(command text, [expected lines])]
        self.end_line = None


def parse_blocks(page):
    """The console blocks of a page, with where they start and end (0-based line numbers)."""
    with open(page, encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks, current, in_other = [], None, False
    for i, raw in enumerate(lines):
        fence = FENCE.match(raw)
        if fence and current is None and not in_other:
            if fence.group(2).strip() == "console":
                current = Block(page, i, fence.group(1))
            else:
                in_other = True
            continue
        if fence and in_other:
            in_other = False
            continue
        if current is None:
            continue
        if fence:
            current.end_line = i
            blocks.append(current)
            current = None
            continue
        text = raw[len(current.indent):] if raw.startswith(current.indent) else raw.lstrip()
        if text.startswith("$ "):
            current.commands.append([text[2:], []])
        elif text.startswith("> ") and current.commands and not current.commands[-1][1]:
            current.commands[-1][0] += "\n" + text[2:]
        elif current.commands:
            current.commands[-1][1].append(text)
        elif text.strip():
            raise SystemExit(f"{page}:{i + 1}: console block: output before the first `$ ` command")
    return blocks


def pattern_of(line):
    """The regex an expected line stands for (see the module's docstring)."""
    if re.fullmatch(r"\d+", line):
        return re.escape(line)
    # Leading padding is column alignment (wc, ls, tables): it shrinks when a figure gains a digit.
    out, at = " *", 0
    line = line.lstrip(" ")
    for m in NUMBER.finditer(line):
        out += literal(line[at:m.start()]) + FIGURE
        at = m.end()
    return out + literal(line[at:])


def literal(text):
    return "".join(" +" if SPACES.fullmatch(part) else re.escape(part) for part in re.split(r"( +)", text) if part)


def matches(expected, actual):
    """True when the actual lines fit the expected ones (masks, repeats, `...`)."""
    groups = []  # (pattern or None for ..., repeatable)
    for line in expected:
        if line.strip() == ELLIPSIS:
            groups.append((None, True))
            continue
        p = pattern_of(line.rstrip())
        if groups and groups[-1][0] == p:
            continue
        groups.append((p, True))

    def fit(g, a):
        if g == len(groups):
            return a == len(actual)
        pattern, _ = groups[g]
        if pattern is None:
            return any(fit(g + 1, k) for k in range(a, len(actual) + 1))
        k = a
        while k < len(actual) and re.fullmatch(pattern, actual[k].rstrip()):
            k += 1
            if fit(g + 1, k):
                return True
        return False

    return fit(0, 0)


WRAPPER = r'''#!/usr/bin/env bash
# doc_examples.py's `tickpath`: the built binary, isolated from other appliances on this machine.
args=("$@") isolate=() rest=()
case "${1:-}" in run|sweep)
  n=$(( $(cat "$TPDOC_COUNTER" 2>/dev/null || echo 0) + 1 )); echo "$n" > "$TPDOC_COUNTER"
  [[ " $* " == *"eal.file_prefix="* ]] || isolate+=(--set "eal.file_prefix=\"tpdoc-$TPDOC_ID-$n\"")
  [[ " $* " == *"http.listen="* ]] || isolate+=(--set 'http.listen="127.0.0.1:0"')
  for i in "${!args[@]}"; do
    if [ "${args[$i]}" = "--" ]; then rest=("${args[@]:$i}"); args=("${args[@]:0:$i}"); break; fi
  done ;;
esac
exec "$TPDOC_BINARY" "${args[@]}" "${isolate[@]}" "${rest[@]}"
'''


def run_block(block, binary, source, timeout):
    """[(command, [actual lines])] of one block, run by one bash under a pseudo-terminal."""
    salt = f"TPDOC{os.getpid()}{int(time.time() * 1000)}"
    with tempfile.TemporaryDirectory(prefix="tpdoc-") as work:
        for entry in os.listdir(source):
            if not entry.startswith("."):
                os.symlink(os.path.join(source, entry), os.path.join(work, entry))
        tools = os.path.join(work, ".bin")
        os.mkdir(tools)
        with open(os.path.join(tools, "tickpath"), "w") as f:
            f.write(WRAPPER)
        os.chmod(os.path.join(tools, "tickpath"), 0o755)
        # A newline before each marker, so output without a final newline still ends its line.
        script = "".join(f"{cmd}\nprintf '\\n%s %s\\n' {salt} $?\n" for cmd, _ in block.commands)
        env = dict(os.environ, PATH=tools + os.pathsep + os.environ.get("PATH", ""), TPDOC_BINARY=binary,
                   TPDOC_ID=str(os.getpid()), TPDOC_COUNTER=os.path.join(work, ".counter"), LC_ALL="C.UTF-8",
                   COLUMNS="200", TERM="dumb")
        master, slave = pty.openpty()
        p = subprocess.Popen(["bash", "--norc", "--noprofile", "-c", script], cwd=work, env=env, stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=slave, close_fds=True, start_new_session=True)
        os.close(slave)
        data, deadline = b"", time.time() + timeout
        while True:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: every writer is gone
                    chunk = b""
                if not chunk:
                    break
                data += chunk
            elif p.poll() is not None:
                break
            if time.time() > deadline:
                os.killpg(p.pid, 9)
                raise SystemExit(f"{block.page}:{block.line + 1}: timed out after {timeout} s")
        os.close(master)
        p.wait()
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    out, current = [], []
    for line in text.split("\n"):
        if line.startswith(salt + " "):
            if current and current[-1] == "":
                current.pop()  # the marker's own newline
            out.append(trimmed(current))
            current = []
        else:
            current.append(line)
    while len(out) < len(block.commands):  # the shell died: the rest printed nothing
        out.append(current)
        current = []
    return [(cmd, lines) for (cmd, _), lines in zip(block.commands, out)]


def trimmed(lines):
    """Without trailing blank lines (a page's block and a program's output end differently)."""
    lines = [l.rstrip() for l in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def default_pages(source):
    return [os.path.join(source, "README.md")] + sorted(glob.glob(os.path.join(source, "docs", "*.md")))


def regen(block, results):
    """The block's new lines: each command with what it printed now, where that no longer matches
    the page (a command whose output still matches keeps its text, `...` elisions included)."""
    lines = []
    for (cmd, expected), (_, actual) in zip(block.commands, results):
        first, *more = cmd.split("\n")
        lines.append(block.indent + "$ " + first)
        lines += [block.indent + "> " + m for m in more]
        shown = trimmed(expected) if matches(trimmed(expected), actual) else actual
        lines += [block.indent + a.rstrip() if a.strip() else "" for a in shown]
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--regen", action="store_true", help="rewrite the pages' console output from a real run")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per block")
    ap.add_argument("pages", nargs="*")
    o = ap.parse_args()
    binary, source = os.path.abspath(o.binary), os.path.abspath(o.source)
    pages = [os.path.abspath(p) for p in o.pages] or default_pages(source)
    failures = checked = 0
    started = time.time()
    for page in pages:
        blocks = parse_blocks(page)
        if not blocks:
            continue
        with open(page, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for block in reversed(blocks):  # bottom-up: a regenerated block's length may change
            t0 = time.time()
            results = run_block(block, binary, source, o.timeout)
            rel = os.path.relpath(page, source)
            if o.regen:
                lines[block.line + 1:block.end_line] = regen(block, results)
                print(f"regen {rel}:{block.line + 1} ({time.time() - t0:.1f} s)")
                continue
            for (cmd, expected), (_, actual) in zip(block.commands, results):
                checked += 1
                if matches(trimmed(expected), actual):
                    continue
                failures += 1
                print(f"FAIL {rel}:{block.line + 1}: $ {cmd}")
                print("  the page shows:")
                print("\n".join("    | " + e for e in expected))
                print("  it printed:")
                print("\n".join("    | " + a for a in actual))
            print(f"ok   {rel}:{block.line + 1} ({len(block.commands)} command(s), {time.time() - t0:.1f} s)")
        if o.regen:
            with open(page, "w", encoding="utf-8") as f:
                f.write("\n".join(lines))
    if not o.regen:
        print(f"{checked} command(s) checked, {failures} mismatched, {time.time() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
