#pragma once
// tickpath's command line: every subcommand's options as CLI11 fills them. command_line.cpp
// declares them all but gen's (gen_options.cpp: it has forty); main.cpp parses and dispatches.
#include <optional>

#include <CLI/CLI.hpp>

#include "apps/tickpath/acks_command.hpp"
#include "apps/tickpath/audit_command.hpp"
#include "apps/tickpath/compare_command.hpp"
#include "apps/tickpath/floor_commands.hpp"
#include "apps/tickpath/gen_command.hpp"
#include "apps/tickpath/report_command.hpp"
#include "apps/tickpath/run_command.hpp"
#include "apps/tickpath/selftest_command.hpp"
#include "apps/tickpath/sweep_command.hpp"
#include "apps/tickpath/topology_command.hpp"

namespace tickpath::app {

struct CommandLine {
  RunOptions run;
  std::optional<int> repeat;  // run --repeat N
  TopologyOptions topo;
  AuditOptions audit;
  JitterCommandOptions jit;
  C2cCommandOptions c2c;
  SweepOptions sweep;
  ReportOptions report_opts;
  CompareOptions compare_opts;
  SelftestOptions selftest;
  AcksOptions acks;
  GenOptions gen;
  // The subcommands, to ask which one was given.
  CLI::App* run_cmd = nullptr;
  CLI::App* topo_cmd = nullptr;
  CLI::App* audit_cmd = nullptr;
  CLI::App* jitter_cmd = nullptr;
  CLI::App* c2c_cmd = nullptr;
  CLI::App* sweep_cmd = nullptr;
  CLI::App* report_cmd = nullptr;
  CLI::App* compare_cmd = nullptr;
  CLI::App* selftest_cmd = nullptr;
  CLI::App* acks_cmd = nullptr;
  CLI::App* gen_cmd = nullptr;
};

// Declares every subcommand and its options on `app`, bound to `c`'s fields.
void add_commands(CLI::App& app, CommandLine& c);

// gen's options (gen_options.cpp).
[[nodiscard]] CLI::App* add_gen_command(CLI::App& app, GenOptions& gen);

}  // namespace tickpath::app
