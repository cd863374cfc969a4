#!/usr/bin/env python3
"""Layering rules for every layer, the way check_includes.py holds lib/core to its own:

  lib-upward         nothing under lib/ includes platform/ or apps/
  platform-upward    nothing under platform/ includes apps/
  undeclared-module  a module (lib/<m>, platform/<m>) includes another module's header only when
                     its meson.build depends on that module, directly or through the modules it
                     depends on (the `<name>_dep` objects each module declares)

The build gives every target the same include roots, so the compiler would accept any of these;
this check is what keeps the arrows pointing one way. Exit 1 naming each offending line.

usage: check_layers.py SOURCE_ROOT [--expect RULE]
  --expect RULE  a planted violation: exit 0 only when violations are found and all are RULE
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
DECLARED = re.compile(r"^(\w+_dep)\s*=\s*declare_dependency", re.M)
USED = re.compile(r"\b(\w+_dep)\b")
SOURCES = {".hpp", ".cpp", ".h", ".cc"}


def modules(root: pathlib.Path):
    """{module: meson.build text}: every folder under lib/ and platform/ whose meson.build declares
    a dependency object (lib/control, lib/control/plane, platform/http, ...)."""
    out = {}
    for layer in ("lib", "platform"):
        for build in sorted((root / layer).rglob("meson.build")):
            text = build.read_text()
            if DECLARED.search(text):
                out[build.parent.relative_to(root).as_posix()] = text
    return out


def owner_module(rel: str, mods):
    """The deepest module folder holding `rel` (a path relative to the root), or None."""
    best = None
    for mod in mods:
        if (rel + "/").startswith(mod + "/") and (best is None or len(mod) > len(best)):
            best = mod
    return best


def dependency_closure(mods):
    owner = {}  # dep variable -> module that declares it
    for mod, text in mods.items():
        for name in DECLARED.findall(text):
            owner[name] = mod
    direct = {mod: {owner[n] for n in USED.findall(text) if n in owner and owner[n] != mod}
              for mod, text in mods.items()}
    closure = {}
    for mod in mods:
        seen, todo = set(), list(direct[mod])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo.extend(direct.get(m, ()))
        closure[mod] = seen
    return closure


def target_module(name: str, mods):
    """The module an include names: "platform/http/x.hpp" -> platform/http, "report/x.hpp" ->
    lib/report, "control/plane/x.hpp" -> lib/control/plane."""
    if name.startswith("platform/"):
        return owner_module(name, mods)
    return owner_module("lib/" + name, mods)


def violations(root: pathlib.Path):
    mods = modules(root)
    closure = dependency_closure(mods)
    for layer in ("lib", "platform"):
        for path in sorted((root / layer).rglob("*")):
            if path.suffix not in SOURCES or not path.is_file():
                continue
            rel = path.relative_to(root)
            mod = owner_module(rel.as_posix(), mods)
            if mod is None:
                continue
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                name = m.group(1)
                where = f"{rel}:{number}: {line.strip()}"
                if name.startswith("apps/"):
                    rule = "lib-upward" if mod.startswith("lib/") else "platform-upward"
                    yield rule, f"{where}  ({mod.split('/')[0]}/ may not include apps/)"
                    continue
                if name.startswith("platform/") and mod.startswith("lib/"):
                    yield "lib-upward", f"{where}  (lib/ may not include platform/)"
                    continue
                target = target_module(name, mods)
                if target and target != mod and target not in closure[mod]:
                    yield "undeclared-module", (f"{where}  ({mod}/meson.build does not depend on {target}: "
                                                f"add its _dep to the module's dependencies, or move the code)")


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    root = pathlib.Path(argv[1]).resolve()
    expect = argv[argv.index("--expect") + 1] if "--expect" in argv else None
    found = list(violations(root))
    for rule, text in found:
        print(f"{rule}: {text}")
    if expect is not None:
        if not found:
            print(f"planted violation of {expect} not detected under {root}")
            return 1
        others = [r for r, _ in found if r != expect]
        if others:
            print(f"expected only {expect}, also found: {sorted(set(others))}")
            return 1
        return 0
    if found:
        print(f"{len(found)} layering violation(s)")
        return 1
    print(f"layering: {len(modules(root))} modules, no violation")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
