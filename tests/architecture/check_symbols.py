#!/usr/bin/env python3
"""Hot-path symbol rule: the object code of the hot loop references no allocation, locking,
logging or I/O function. Reads `nm --undefined-only` of each archive/object given.

usage: check_symbols.py [--expect-violations] FILE...
  --expect-violations   the positive control: exit 0 only if every forbidden kind is found
"""
import re
import subprocess
import sys

FORBIDDEN = {
    "allocation": r"^(malloc|calloc|realloc|free|aligned_alloc|posix_memalign|memalign|mmap|rte_malloc\w*|rte_zmalloc\w*)$"
                  r"|^operator new|^operator delete|^__cxa_allocate_exception$",
    "locking": r"^pthread_(mutex|spin|rwlock|cond)_\w+$|^std::mutex|^sem_\w+$|^rte_spinlock\w*$|^futex",
    "logging": r"^(printf|fprintf|vfprintf|puts|fputs|putchar|fwrite|syslog|perror|__printf_chk|__fprintf_chk|"
               r"rte_log|rte_vlog)$|^std::(cout|cerr|clog)|^std::basic_ostream|^fmt::",
    "io_or_syscall": r"^(write|read|writev|readv|pwrite\w*|pread\w*|open\w*|close|ioctl|send\w*|recv\w*|"
                     r"syscall|clock_gettime|gettimeofday|nanosleep|usleep|sleep|sched_yield|epoll_\w+|poll|select)$",
}


def undefined_symbols(path):
    out = subprocess.run(["nm", "--undefined-only", "--demangle", path],
                         check=True, capture_output=True, text=True).stdout
    symbols = set()
    for line in out.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0] in ("U", "w", "v"):
            name = parts[1].strip()
            symbols.add(name.split("@")[0])  # versioned: write@GLIBC_2.2.5
    return symbols


def main(argv):
    expect = "--expect-violations" in argv
    files = [a for a in argv[1:] if not a.startswith("--")]
    found = {kind: set() for kind in FORBIDDEN}
    for f in files:
        for sym in undefined_symbols(f):
            for kind, pattern in FORBIDDEN.items():
                if re.search(pattern, sym):
                    found[kind].add(sym)
    for kind, syms in found.items():
        for s in sorted(syms):
            print(f"{kind}: {s}")
    if expect:
        missing = [k for k, s in found.items() if not s]
        if missing:
            print("check_symbols: the planted violations were NOT all detected:", ", ".join(missing))
            return 1
        print("check_symbols: every planted kind detected")
        return 0
    total = sum(len(s) for s in found.values())
    print(f"check_symbols: {len(files)} files, {total} forbidden references")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
