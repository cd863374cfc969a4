#!/usr/bin/env python3
"""Every lib/core header compiles on its own (includes what it uses), with the project's flags.

usage: check_headers.py SOURCE_ROOT COMPILER [FLAG...]
"""
import concurrent.futures
import pathlib
import subprocess
import sys


def main(argv):
    root = pathlib.Path(argv[1]).resolve()
    compiler, flags = argv[2], argv[3:]
    headers = sorted((root / "lib" / "core").rglob("*.hpp"))

    def compile_one(h):
        rel = h.relative_to(root / "lib")
        cmd = [compiler, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra", "-Werror", *flags,
               f"-I{root / 'lib'}", f"-I{root}", "-x", "c++", "-"]
        r = subprocess.run(cmd, input=f'#include "{rel}"\n', capture_output=True, text=True)
        return rel, r.returncode, r.stderr

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(compile_one, headers))
    bad = [(rel, err) for rel, rc, err in results if rc != 0]
    for rel, err in bad:
        print(f"{rel} is not self-contained:\n{err}")
    print(f"check_headers: {len(headers)} headers, {len(bad)} not self-contained")
    return 1 if bad or not headers else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
