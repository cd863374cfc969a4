#pragma once
// `tickpath run`'s own flags (--duration, --events, --rate, --report-dir, --run-folder) and how
// they reach the config: applied last, as --set overrides, so a bad value names its key and
// summary.json's effective config is exactly what ran. Also the same flags as a child run's
// command line (run --repeat, sweep: one process per run).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "config/startup.hpp"

namespace tickpath::config {

struct RunFlags {
  std::string config_path;
  std::optional<double> duration_s;
  std::optional<std::uint64_t> events;
  std::optional<double> rate_pps;
  std::optional<std::string> report_dir;
  std::optional<std::string> run_folder;  // exactly this folder (created, must not exist): --repeat, sweep
  std::vector<std::string> overrides;  // --set key=value, in order
  std::vector<std::string> eal_extra;  // after `--`
};

// `flags.overrides`, then each flag given as the key it sets. --run-folder sets report.dir to the
// folder it sits in: the report.dir that really held the run's files.
[[nodiscard]] std::vector<std::string> run_overrides(const RunFlags& flags);

// The config file (or the built-in defaults), then run_overrides(). Error: the message.
[[nodiscard]] std::variant<Startup, std::string> load_run_startup(const RunFlags& flags);

// The flags as a child `tickpath run`'s arguments, without --report-dir and --run-folder (the
// parent names the folders) and without the EAL's (the parent appends them).
[[nodiscard]] std::vector<std::string> child_run_args(const RunFlags& flags);

}  // namespace tickpath::config
