#!/usr/bin/env python3
"""The man page tickpath(1) and the bash completion, generated at build time from the binary's own
--help (every subcommand's) and from the reference config (config/laptop.toml spells out every
key), so neither can drift from the program.

usage: cli-docs.py man  TICKPATH VERSION OUT
       cli-docs.py bash TICKPATH CONFIG_TOML OUT
       cli-docs.py json TICKPATH               (the parsed CLI, for tests)
"""
import datetime
import json
import os
import re
import subprocess
import sys
import tomllib


def help_text(binary, *args):
    r = subprocess.run([binary, *args, "--help"], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        sys.exit(f"cli-docs: `{' '.join([binary, *args, '--help'])}` exited {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def parse_help(text):
    """CLI11's help: a description, `Usage:`, then sections (`Options:`, `Positionals:`,
    `Subcommands:`) of entries: two spaces, the name column, then the description (on the next
    line, indented, when the name is too long). Returns description, usage and the sections."""
    lines = text.splitlines()
    out = {"description": [], "usage": "", "sections": {}, "footer": []}
    section = None
    for line in lines:
        if line.startswith("Usage:"):
            # CLI11 prints argv[0]: the build path here, `tickpath` once installed.
            out["usage"] = re.sub(r"^\S*tickpath\b", "tickpath", line[len("Usage:"):].strip())
            section = "after-usage"
            continue
        if re.match(r"^[A-Z][A-Za-z ]*:$", line):
            section = line[:-1]
            out["sections"][section] = []
            continue
        if section is None:
            if line.strip():
                out["description"].append(line.strip())
            continue
        if section == "after-usage":
            continue
        if section in out["sections"]:
            m = re.match(r"^  (\S.*?)(?:\s{2,}(\S.*))?$", line)
            if m and not line.startswith("   "):
                out["sections"][section].append({"name": m.group(1).strip(), "text": (m.group(2) or "").strip()})
            elif line.startswith(" ") and line.strip() and out["sections"][section]:
                entry = out["sections"][section][-1]
                entry["text"] = (entry["text"] + " " + line.strip()).strip()
            elif line.strip():
                out["footer"].append(line.strip())
                section = "footer"
        elif section == "footer" and line.strip():
            out["footer"].append(line.strip())
    return out


def option_names(entry_name):
    """'-h,--help' -> ['-h', '--help']; '--config TEXT:FILE' -> ['--config']."""
    first = entry_name.split(" ", 1)[0]
    return [n for n in first.split(",") if n.startswith("-")]


def parse_cli(binary):
    top = parse_help(help_text(binary))
    cli = {"description": top["description"], "usage": top["usage"],
           "options": top["sections"].get("Options", []), "subcommands": []}
    for sub in top["sections"].get("Subcommands", []):
        h = parse_help(help_text(binary, sub["name"]))
        cli["subcommands"].append({"name": sub["name"], "summary": sub["text"], "usage": h["usage"],
                                   "options": h["sections"].get("Options", []),
                                   "positionals": h["sections"].get("Positionals", []),
                                   "footer": h["footer"]})
    if not cli["subcommands"]:
        sys.exit("cli-docs: no subcommands found in `tickpath --help` (has its format changed?)")
    return cli


def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def man_page(cli, version):
    date = datetime.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")) or datetime.datetime.now().timestamp(),
                                           datetime.timezone.utc).strftime("%Y-%m-%d")
    out = [f'.TH TICKPATH 1 "{date}" "tickpath {version}" "User Commands"',
           ".SH NAME", "tickpath \\- kernel\\-bypass reference appliance for low\\-latency market\\-data infrastructure",
           ".SH SYNOPSIS",
           ".B tickpath",
           "\\fISUBCOMMAND\\fR [\\fIOPTIONS\\fR] [\\fB\\-\\-\\fR \\fIEAL-ARGS\\fR]", ".br",
           ".B tickpath \\-\\-version",
           ".SH DESCRIPTION", roff(" ".join(cli["description"])),
           ".PP",
           roff("A DPDK poll-mode ingest stage stamps every market-data frame with the TSC and publishes it into a "
                "broadcast ring in hugepage memory; an execution consumer reads the lifecycle state "
                "(INIT, WARMUP, READY, DEGRADED) and emits acks to an observability sink. Each run writes a report "
                "folder (summary.json, HdrHistogram .hgrm/.hlog, timeline.csv, report.html)."),
           ".SH GLOBAL OPTIONS"]
    for o in cli["options"]:
        out += [".TP", f"\\fB{roff(o['name'])}\\fR", roff(o["text"])]
    out.append(".SH SUBCOMMANDS")
    for sub in cli["subcommands"]:
        out += [f".SS \\fBtickpath {sub['name']}\\fR", roff(sub["summary"]) + ".", ".PP",
                f"Usage: \\fB{roff(sub['usage'])}\\fR"]
        for p in sub["positionals"]:
            out += [".TP", f"\\fI{roff(p['name'])}\\fR", roff(p["text"])]
        for o in sub["options"]:
            out += [".TP", f"\\fB{roff(o['name'])}\\fR", roff(o["text"])]
        for f in sub["footer"]:
            out += [".PP", roff(f)]
    out += [".SH EXIT STATUS",
            ".TP", "0", "success.",
            ".TP", "1", "a run could not start (EAL, port, memory, HTTP).",
            ".TP", "2", roff("bad input, nothing was started (audit: a check FAILed)."),
            ".TP", "3", "the run completed but its report folder is incomplete.",
            ".TP", "64", "audit: usage error.",
            ".SH FILES",
            ".TP", "/etc/tickpath/tickpath.toml", "the service's configuration (a conffile).",
            ".TP", "/usr/share/tickpath/examples/", roff("example configurations: laptop.toml (every key), baremetal.toml, "
                                                         "pcap.toml, veth.toml; the tuned profile, Prometheus and Grafana files."),
            ".TP", "/lib/systemd/system/tickpath.service", roff("the systemd unit (Type=notify, watchdog)."),
            ".SH ENVIRONMENT",
            ".TP", "NOTIFY_SOCKET, WATCHDOG_USEC",
            roff("set by systemd: tickpath sends READY=1, STATUS=, WATCHDOG=1 and STOPPING=1 (sd_notify(3))."),
            ".SH SEE ALSO",
            roff("systemd.service(5), tuned-adm(8), dpdk-telemetry.py(1); /usr/share/doc/tickpath/ (deploy.md, operations.md, "
                 "tuning.md)."), ""]
    return "\n".join(out)


def config_keys(path):
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    return sorted(f"{section}.{key}" for section, table in doc.items() if isinstance(table, dict) for key in table)


BASH = r'''# bash completion for tickpath(1). Generated by scripts/cli-docs.py from `tickpath --help`
# and config/laptop.toml: do not edit.
_tickpath() {
    local cur prev words cword
    _init_completion -n = || return
    local subcommands="@SUBCOMMANDS@"
    local keys="@KEYS@"
    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$subcommands @GLOBAL@" -- "$cur"))
        return
    fi
    case $prev in
        --set|--vary)
            COMPREPLY=($(compgen -S = -W "$keys" -- "$cur"))
            compopt -o nospace
            return ;;
        --config) _filedir toml; return ;;
        --report-dir|--run-folder|--root|--out|--html|--tuned) _filedir -d; return ;;
        --pcap|--report|--systemd) _filedir; return ;;
    esac
    local opts=""
    case ${words[1]} in
@CASES@
    esac
    if [[ $cur == -* || -z $opts ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        _filedir
    fi
} && complete -F _tickpath tickpath
'''


def bash_completion(cli, keys):
    cases = []
    for sub in cli["subcommands"]:
        names = sorted({n for o in sub["options"] for n in option_names(o["name"])})
        cases.append(f'        {sub["name"]}) opts="{" ".join(names)}" ;;')
    global_opts = sorted({n for o in cli["options"] for n in option_names(o["name"])})
    return (BASH.replace("@SUBCOMMANDS@", " ".join(s["name"] for s in cli["subcommands"]))
            .replace("@KEYS@", " ".join(keys)).replace("@GLOBAL@", " ".join(global_opts))
            .replace("@CASES@", "\n".join(cases)))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    mode, binary = argv[1], argv[2]
    cli = parse_cli(binary)
    if mode == "json":
        print(json.dumps(cli, indent=1))
        return 0
    if mode == "man":
        text = man_page(cli, argv[3])
    elif mode == "bash":
        text = bash_completion(cli, config_keys(argv[3]))
    else:
        sys.exit(f"cli-docs: unknown mode '{mode}'")
    with open(argv[4], "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
