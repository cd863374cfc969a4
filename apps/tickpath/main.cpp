// tickpath: parse, build, run. Each subcommand lives in its own file; this one only dispatches.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "apps/tickpath/acks_command.hpp"
#include "apps/tickpath/run_command.hpp"
#include "apps/tickpath/topology_command.hpp"

int main(int argc, char** argv) {
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
  run_cmd->footer("Arguments after `--` are passed to the DPDK EAL.");

  TopologyOptions topo;
  CLI::App* topo_cmd = app.add_subcommand("topology", "print the machine and the core plan; run nothing");
  topo_cmd->add_option("--config", topo.config_path, "TOML config file")->check(CLI::ExistingFile);
  topo_cmd->add_option("--set", topo.overrides, "override a config key")->take_all();

  // `tickpath acks`: read an ack log (report.ack_log = true) back.
  AcksOptions acks;
  CLI::App* acks_cmd = app.add_subcommand("acks", "read an ack log (acks.bin) back: a summary, or every record as CSV");
  acks_cmd->add_option("FILE", acks.file, "an acks.bin from a run folder")->required();
  acks_cmd->add_flag("--csv", acks.csv, "one CSV row per record instead of the summary");

  try {
    app.parse(cli_argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 returns 0 for --help, 106/109 etc. for usage errors: map usage errors to 2, the
    // convention for "bad input, nothing was started".
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (*run_cmd) return run_command(run);
  if (*topo_cmd) return topology_command(topo);
  if (*acks_cmd) return acks_command(acks);
  return 2;
}
