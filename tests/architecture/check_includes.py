#!/usr/bin/env python3
"""Hot-path include rule: every #include under lib/core resolves to lib/core or a standard
header; the DPDK rx adapter may add DPDK's own headers. Exit 1 naming each offending line.

usage: check_includes.py SOURCE_ROOT [--extra FILE_OR_DIR ...]   (paths relative to SOURCE_ROOT)
"""
import pathlib
import re
import sys

# C++20 standard library and the C headers it wraps, plus the compiler's intrinsics header.
STANDARD = set("""
algorithm any array atomic barrier bit bitset cassert cctype cerrno cfloat charconv chrono
cinttypes climits cmath compare complex concepts condition_variable coroutine cstddef cstdint
cstdio cstdlib cstring ctime cwchar deque exception execution expected filesystem format
forward_list functional initializer_list iomanip ios iosfwd iostream istream iterator latch
limits list locale map memory memory_resource mutex new numbers numeric optional ostream queue
random ranges ratio regex scoped_allocator semaphore set shared_mutex source_location span
sstream stack stdexcept stop_token streambuf string string_view system_error thread tuple
type_traits typeindex typeinfo unordered_map unordered_set utility valarray variant vector
version x86intrin.h immintrin.h
""".split())

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def violations(path: pathlib.Path, root: pathlib.Path, allow_dpdk: bool):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        kind, name = m.groups()
        if kind == '"' and name.startswith("core/") and (root / "lib" / name).is_file():
            continue
        if kind == "<" and name in STANDARD:
            continue
        if allow_dpdk and kind == "<" and re.fullmatch(r"rte_[a-z0-9_]+\.h", name):
            continue
        yield f"{path.relative_to(root)}:{number}: {line.strip()}  (hot path may include only lib/core" + \
              (", DPDK" if allow_dpdk else "") + " and standard headers)"


def main(argv):
    root = pathlib.Path(argv[1]).resolve()
    extra = argv[argv.index("--extra") + 1:] if "--extra" in argv else []
    files = [(p, False) for p in sorted((root / "lib" / "core").rglob("*")) if p.suffix in (".hpp", ".cpp", ".h")]
    for e in extra:
        p = root / e
        targets = sorted(p.rglob("*")) if p.is_dir() else [p]
        files += [(t, True) for t in targets if t.suffix in (".hpp", ".cpp", ".h")]
    if not files:
        print("check_includes: no files found under", root, file=sys.stderr)
        return 2
    bad = [v for f, dpdk in files for v in violations(f, root, dpdk)]
    for v in bad:
        print(v)
    print(f"check_includes: {len(files)} files, {len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
