// tickpath: parse, build, run. Each subcommand lives in its own file; this one only dispatches.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "apps/tickpath/audit_command.hpp"
#include "apps/tickpath/cli_error.hpp"
#include "apps/tickpath/floor_commands.hpp"
#include "apps/tickpath/compare_command.hpp"
#include "apps/tickpath/report_command.hpp"
#include "apps/tickpath/acks_command.hpp"
#include "apps/tickpath/gen_command.hpp"
#include "apps/tickpath/run_command.hpp"
#include "apps/tickpath/run_set.hpp"
#include "apps/tickpath/selftest_command.hpp"
#include "apps/tickpath/sweep_command.hpp"
#include "apps/tickpath/topology_command.hpp"
#include "config/config.hpp"
#include "apps/tickpath/build_info.hpp"

namespace {

// Every argument ends up in a JSON file (summary.json, the config, the EAL arguments, paths), and
// JSON is UTF-8: one that is not is refused here, naming its option, rather than at the end of a
// run when the summary cannot be written. Returns the exit code, or 0 when every argument is fine.
int reject_non_utf8_arguments(int argc, char** argv, int usage_error) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg(argv[i]);
    if (tickpath::config::is_valid_utf8(arg)) continue;
    std::string option = fmt::format("argument {}", i);
    if (arg.starts_with("-")) {
      option = arg.substr(0, arg.find('='));
    } else if (i > 1 && std::string_view(argv[i - 1]).starts_with("-")) {
      option = argv[i - 1];
    }
    if (!tickpath::config::is_valid_utf8(option)) option = fmt::format("argument {}", i);
    return tickpath::app::fail(usage_error, fmt::format("{}: not valid UTF-8 (tickpath writes every value into UTF-8 JSON)", option));
  }
  return 0;
}

}  // namespace

int tickpath_main(int argc, char** argv) {
  using namespace tickpath::app;

  // Everything after a bare `--` goes to the EAL untouched; CLI11 must not see it.
  std::vector<std::string> eal_extra;
  int cli_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--") {
      for (int j = i + 1; j < argc; ++j) eal_extra.emplace_back(argv[j]);
      cli_argc = i;
      break;
    }
  }

  CLI::App app{"tickpath: a kernel-bypass reference appliance for low-latency infrastructure"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tickpath ") + build_version() + " (git " + build_commit() + ")",
                       "print the version and the git commit it was built from");

  RunOptions run;
  run.eal_extra = eal_extra;
  CLI::App* run_cmd = app.add_subcommand("run", "run the appliance (default: 10 s on DPDK's null PMD)");
  run_cmd->add_option("--config", run.config_path, "TOML config file (default: built-in laptop mode)")
      ->check(CLI::ExistingFile);
  auto* duration = run_cmd->add_option("--duration", run.duration_s, "seconds to run");
  run_cmd->add_option("--events", run.events, "stop after this many events")->excludes(duration);
  run_cmd->add_option("--rate", run.rate_pps, "pace ingest to this many frames per second");
  run_cmd->add_option("--report-dir", run.report_dir, "parent folder of the run folder");
  run_cmd->add_option("--set", run.overrides, "override a config key: --set ring.capacity=4096")
      ->take_all();
  run_cmd->add_option("--run-folder", run.run_folder, "write the run folder exactly here (must not exist)");
  std::optional<int> repeat;
  run_cmd->add_option("--repeat", repeat, "run N times, each a child process: <folder>/run-1..N + aggregate.json")
      ->excludes("--run-folder");
  run_cmd->footer("Arguments after `--` are passed to the DPDK EAL.");

  TopologyOptions topo;
  CLI::App* topo_cmd = app.add_subcommand("topology", "print the machine and the core plan; run nothing");
  topo_cmd->add_option("--config", topo.config_path, "TOML config file")->check(CLI::ExistingFile);
  topo_cmd->add_option("--set", topo.overrides, "override a config key")->take_all();
  topo_cmd->add_option("--systemd", topo.systemd_dropin,
                       "write the CPUAffinity= drop-in (housekeeping cpus) to FILE (- for stdout)");
  topo_cmd->add_option("--tuned", topo.tuned_dir,
                       "write the tuned profile tickpath-cpu-partitioning to DIR/tuned.conf (- for stdout)");

  // audit: host preflight. Its exit code 2 means "a check FAILed", so its usage errors exit 64.
  AuditOptions audit;
  CLI::App* audit_cmd = app.add_subcommand("audit", "check this host's kernel and firmware tuning for the core plan");
  audit_cmd->add_option("--config", audit.config_path, "TOML config file")->check(CLI::ExistingFile);
  audit_cmd->add_option("--set", audit.overrides, "override a config key")->take_all();
  audit_cmd->add_flag("--json", audit.json, "print the rows as JSON (schema tickpath.audit/1)");
  audit_cmd->add_option("--root", audit.root, "read /proc and /sys under this directory (default /)");
  const bool parsing_audit = argc > 1 && std::string(argv[1]) == "audit";

  // --- the machine's floor: jitter, c2c -----------------------------------------------------
  JitterCommandOptions jit;
  CLI::App* jitter_cmd = app.add_subcommand("jitter", "OS jitter per cpu: spin on the TSC, count hiccups (like hiccups/oslat)");
  jitter_cmd->add_option("--cores", jit.cores, "cpu list, e.g. 1-3,8 (default: every cpu this process may use)");
  jitter_cmd->add_option("--duration", jit.duration_s, "seconds per cpu (all cpus at once)")->capture_default_str();
  jitter_cmd->add_option("--threshold-ns", jit.threshold_ns, "a gap at least this long is a hiccup")->capture_default_str();
  jitter_cmd->add_flag("--json", jit.json, "print JSON instead of the table");
  jitter_cmd->add_option("--report-dir", jit.report_dir, "parent folder of the run folder (jitter.json)")->capture_default_str();

  C2cCommandOptions c2c;
  CLI::App* c2c_cmd = app.add_subcommand("c2c", "core-to-core latency: one cache line ping-ponged between every pair of cpus");
  c2c_cmd->add_option("--cores", c2c.cores, "cpu list (default: every cpu this process may use)");
  c2c_cmd->add_option("--samples", c2c.samples, "round trips per pair")->capture_default_str();
  c2c_cmd->add_flag("--json", c2c.json, "print JSON instead of the matrices");

  // --- experiments: sweep ---------------------------------------------------------------------
  SweepOptions sweep;
  sweep.eal_extra = eal_extra;
  CLI::App* sweep_cmd = app.add_subcommand("sweep", "run every combination of --vary values, each --repeat times; one table");
  sweep_cmd->add_option("--config", sweep.config_path, "TOML config file (default: built-in laptop mode)")
      ->check(CLI::ExistingFile);
  sweep_cmd->add_option("--vary", sweep.vary, "key=v1,v2,... (repeatable; values \"quoted\" to keep commas)")
      ->required();
  sweep_cmd->add_option("--repeat", sweep.repeat, "runs per combination")->capture_default_str();
  sweep_cmd->add_option("--set", sweep.overrides, "override a config key for every run")->take_all();
  sweep_cmd->add_option("--report-dir", sweep.report_dir, "parent folder of the sweep folder");
  auto* sweep_duration = sweep_cmd->add_option("--duration", sweep.duration_s, "seconds per run");
  sweep_cmd->add_option("--events", sweep.events, "events per run")->excludes(sweep_duration);
  sweep_cmd->add_option("--rate", sweep.rate_pps, "pace ingest to this many frames per second");
  sweep_cmd->footer("Arguments after `--` are passed to every run's DPDK EAL.");
  // --------------------------------------------------------------------------------------------
  // Reports: re-render a run folder's page; put two runs (or two sets of repeated runs) side by side.
  ReportOptions report_opts;
  CLI::App* report_cmd = app.add_subcommand("report", "re-render DIR/report.html from the run folder's data files");
  report_cmd->add_option("dir", report_opts.dir, "run folder (summary.json, latency.hlog, timeline.csv)")->required();
  report_cmd->add_option("--out", report_opts.out, "write the page here instead of DIR/report.html");
  CompareOptions compare_opts;
  CLI::App* compare_cmd = app.add_subcommand("compare", "compare two run folders (or folders of repeated runs)");
  compare_cmd->add_option("dir_a", compare_opts.a, "baseline: run folder or folder with run-1 … run-N")->required();
  compare_cmd->add_option("dir_b", compare_opts.b, "candidate: run folder or folder with run-1 … run-N")->required();
  compare_cmd->add_option("--html", compare_opts.html, "also write the comparison as a self-contained HTML page");
  compare_cmd->add_option("--tolerance", compare_opts.tolerance,
                          "relative change counted as \"same\" when a side has a single run (default 0.05)")
      ->check(CLI::Range(0.0, 10.0));
  // `tickpath selftest`: the measurement chain against a known truth (docs/measurement.md).
  SelftestOptions selftest;
  CLI::App* selftest_cmd = app.add_subcommand("selftest", "run the pipeline on a truth source with known delays and a stall; "
                                                          "compare every figure with the truth (exit 0: all within 1% + one bucket)");
  selftest_cmd->add_option("--rate", selftest.rate, "frames per second")->capture_default_str()->check(CLI::PositiveNumber);
  selftest_cmd->add_option("--duration", selftest.duration_s, "seconds of paced load after warmup")->capture_default_str()->check(CLI::PositiveNumber);
  selftest_cmd->add_option("--stall-ms", selftest.stall_ms, "one stall of the ingest loop (0: none)")->capture_default_str()->check(CLI::NonNegativeNumber);
  // `tickpath acks`: read an ack log (report.ack_log = true) back.
  AcksOptions acks;
  CLI::App* acks_cmd = app.add_subcommand("acks", "read an ack log (acks.bin) back: a summary, or every record as CSV");
  acks_cmd->add_option("FILE", acks.file, "an acks.bin from a run folder")->required();
  acks_cmd->add_flag("--csv", acks.csv, "one CSV row per record instead of the summary");
  acks_cmd->add_flag("--salvage", acks.salvage,
                     "read an unfinished, truncated or damaged log (a killed run's): every intact record, the damaged ones counted");
  // gen: the transmitter (docs/wire.md).
  GenOptions gen;
  gen.eal_extra = eal_extra;
  CLI::App* gen_cmd = app.add_subcommand("gen", "send a MoldUDP64 feed (DPDK port or --pcap file) with load shapes and faults");
  {
    auto* g = gen_cmd;
    g->add_option("--pcap", gen.pcap, "write the frames to this capture file instead of a port (no EAL)");
    g->add_option("--vdev", gen.vdev, "DPDK virtual device to send on, e.g. net_af_packet0,iface=veth-gen");
    g->add_option("--pci", gen.pci, "PCI address of the NIC to send on");
    g->add_option("--file-prefix", gen.file_prefix, "EAL file prefix (distinct from the receiver's)");
    g->add_option("--hugepages", gen.hugepages, "auto | required | off");
    g->add_option("--mbufs", gen.mbufs, "mbufs in the tx pool");
    g->add_option("--cpu", gen.cpu, "cpu the sending thread runs on (the EAL main lcore)");
    auto* d = g->add_option("--duration", gen.duration_s, "seconds of load (pcap: of planned send times)");
    g->add_option("--frames", gen.frames, "stop after this many frames (plus queued faults and end of session)");
    (void)d;
    g->add_option("--shape", gen.shape, "constant | burst | ramp | poisson");
    g->add_option("--rate", gen.load.rate, "frames per second (ramp: starting rate; burst: ignored)");
    g->add_option("--ramp-to", gen.load.ramp_to, "ramp: final frames per second, reached at --duration");
    g->add_option("--burst-size", gen.load.burst_size, "burst: frames back to back");
    g->add_option("--burst-interval-us", gen.burst_interval_us, "burst: microseconds from one burst to the next");
    g->add_option("--seed", gen.feed.seed, "seed of message counts/sizes (and of the Poisson process)");
    g->add_option("--session", gen.session, "MoldUDP64 session (up to 10 characters)");
    g->add_option("--first-seq", gen.feed.frame.first_seq, "sequence number of the first message");
    g->add_option("--udp-port", gen.feed.frame.udp_dst_port, "UDP destination port (the receiver's ingest.udp_port)");
    g->add_option("--dst-mac", gen.dst_mac, "destination MAC (default 02:00:00:00:00:02; a multicast feed: 01:00:5e:..)");
    g->add_option("--src-mac", gen.src_mac, "source MAC (default 02:00:00:00:00:01)");
    g->add_option("--dst-ip", gen.dst_ip, "destination IPv4 (default 10.0.0.2)");
    g->add_option("--src-ip", gen.src_ip, "source IPv4 (default 10.0.0.1)");
    g->add_option("--messages", gen.feed.max_messages, "messages per frame: uniform in 1..N");
    g->add_option("--message-size", gen.feed.message_size, "bytes per message (>= 20); 0: ITCH-like mix 20..44");
    g->add_option("--gap-every", gen.feed.gap_every, "fault: before every M-th data frame skip --gap-size numbers");
    g->add_option("--gap-size", gen.feed.gap_size, "fault: sequence numbers skipped per gap");
    g->add_option("--duplicate-every", gen.feed.duplicate_every, "fault: send every D-th data frame twice");
    g->add_option("--reorder-every", gen.feed.reorder_every, "fault: send every R-th data frame after its successor");
    g->add_option("--malformed-ratio", gen.malformed_ratio, "fault: one broken frame per 1/ratio data frames, cycling through every drop reason");
    g->add_option("--heartbeat-every", gen.feed.heartbeat_every, "a MoldUDP64 heartbeat after every H data frames");
    g->add_option("--stats-interval", gen.stats_interval_s, "seconds between live lines");
    g->add_option("--report", gen.report, "write what was injected as JSON to this file");
    g->add_option("--lines", gen.lines, "1, or 2: the same feed on lines A and B (--pcap F writes F-A and F-B)");
    g->add_option("--drop-every-a", gen.line_a.drop_every, "--lines 2: line A does not send every N-th data frame");
    g->add_option("--drop-every-b", gen.line_b.drop_every, "--lines 2: line B does not send every N-th data frame");
    g->add_option("--reorder-every-a", gen.line_a.reorder_every, "--lines 2: line A sends every R-th data frame after its successor");
    g->add_option("--reorder-every-b", gen.line_b.reorder_every, "--lines 2: line B sends every R-th data frame after its successor");
    g->add_option("--vdev-b", gen.vdev_b, "--lines 2: line B's DPDK virtual device (line A is --vdev)");
    g->add_option("--pci-b", gen.pci_b, "--lines 2: line B's PCI port (line A is --pci)");
    g->add_option("--skew-us", gen.skew_us, "--lines 2: B's copy this many microseconds after A's (negative: before)");
    g->footer("Arguments after `--` are passed to the DPDK EAL. Ends with an end-of-session frame.");
  }

  if (const int code = reject_non_utf8_arguments(argc, argv, parsing_audit ? kAuditUsageError : 2)) return code;
  // CLI11 says only "A subcommand is required" for a word it does not know: name it.
  if (cli_argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> known;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) known.push_back(sub->get_name());
    if (std::find(known.begin(), known.end(), argv[1]) == known.end()) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      std::fprintf(stderr, "tickpath: unknown subcommand '%s' (one of: %s; see --help)\n", argv[1], list.c_str());
      return 2;
    }
  }
  try {
    app.parse(cli_argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 returns 0 for --help, 106/109 etc. for usage errors: map usage errors to 2, the
    // convention for "bad input, nothing was started" (64 for audit, see above).
    const int code = app.exit(e);
    if (code == 0) return 0;
    return parsing_audit ? kAuditUsageError : 2;
  }

  if (*run_cmd) return repeat ? repeat_command(run, *repeat) : run_command(run);
  if (*topo_cmd) return topology_command(topo);
  if (*audit_cmd) return audit_command(audit);
  if (*jitter_cmd) return jitter_command(jit);
  if (*c2c_cmd) return c2c_command(c2c);
  if (*sweep_cmd) return sweep_command(sweep);
  if (*report_cmd) return report_command(report_opts);
  if (*compare_cmd) return compare_command(compare_opts);
  if (*acks_cmd) return acks_command(acks);
  if (*selftest_cmd) return selftest_command(selftest);
  if (*gen_cmd) return gen_command(gen);
  return 2;
}

// A last resort: every expected failure is a named error and an exit code from the command itself.
// Anything that still escapes is a bug; it gets one clean line and exit 1, never std::terminate.
int main(int argc, char** argv) {
  try {
    return tickpath_main(argc, argv);
  } catch (const std::exception& e) {
    return tickpath::app::fail(1, fmt::format("internal error (a bug, please report it): {}", e.what()));
  } catch (...) {
    return tickpath::app::fail(1, "internal error (a bug, please report it): unknown exception");
  }
}
