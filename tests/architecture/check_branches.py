#!/usr/bin/env python3
"""No branch on observability configuration: with the NullSink, the executor's object code has
no conditional jump and no call at all (the sink is a template parameter, not a runtime flag).

usage: check_branches.py ARCHIVE FUNCTION_SUBSTRING [--expect-branches]
"""
import re
import subprocess
import sys


def function_body(path, name):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-C", path],
                         check=True, capture_output=True, text=True).stdout
    body, inside = [], False
    for line in out.splitlines():
        header = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if header:
            inside = name in header.group(1)
            continue
        if inside and line.strip():
            body.append(line.strip())
    return body


def main(argv):
    path, name = argv[1], argv[2]
    expect = "--expect-branches" in argv
    body = function_body(path, name)
    if not body:
        print(f"check_branches: no function matching {name!r} in {path}")
        return 2
    flagged = [i for i in body if re.search(r"\s(j(?!mp)[a-z]+|call\w*)\s", i + " ")]
    for i in flagged:
        print("branch or call:", i)
    print(f"check_branches: {name}: {len(body)} instructions, {len(flagged)} branches/calls")
    if expect:
        return 0 if flagged else 1
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
