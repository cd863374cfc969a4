#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tickpath::app {

struct RunOptions {
  std::string config_path;
  std::optional<double> duration_s;
  std::optional<std::uint64_t> events;
  std::optional<double> rate_pps;
  std::optional<std::string> report_dir;
  std::optional<std::string> run_folder;  // exactly this folder (created, must not exist): --repeat, sweep
  std::vector<std::string> overrides;  // --set key=value, in order
  std::vector<std::string> eal_extra;  // after `--`
};

// Exit codes: 0 done (also after SIGINT/SIGTERM), 1 a run-time failure (EAL, port, memory),
// 2 bad input (config, CLI) rejected before anything started, 3 (kExitReportIncomplete,
// cli_error.hpp) the run completed but its report is incomplete (a file of the run folder could
// not be written: stderr and, where it could be written, summary.json's report.errors name the
// file and the errno text).
int run_command(const RunOptions& options);

}  // namespace tickpath::app
