#pragma once
// `tickpath sweep`: the cartesian product of --vary keys, each combination run --repeat times as
// child `tickpath run`s (run_set.hpp), into one sweep folder:
//   <report-dir>/<UTC stamp>/
//     ingest.burst=8/run-1/ ... run-N/, aggregate.json     one folder per combination
//     sweep.csv    one row per run (combination, repeat, figures)
//     sweep.json   {"vary", "repeat", "runs_planned", "runs_completed", "interrupted_by",
//                   "combinations": [{name, settings, folder, runs_completed, metrics}], "runs": [...]}
// and one table: per combination, the mean of each figure and its spread across repeats.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tickpath::app {

struct SweepOptions {
  std::string config_path;
  std::vector<std::string> vary;       // "key=v1,v2,..." (values may be "quoted", then commas are kept)
  std::vector<std::string> overrides;  // --set, the same for every run
  int repeat = 1;
  std::optional<std::string> report_dir;
  std::optional<double> duration_s;
  std::optional<std::uint64_t> events;
  std::optional<double> rate_pps;
  std::vector<std::string> eal_extra;
};

// Exit codes: 0 every run completed, 1 a run failed, 2 bad input (nothing started),
// 128 + signal when SIGINT/SIGTERM stopped it (what finished is kept and tabulated).
int sweep_command(const SweepOptions& options);

}  // namespace tickpath::app
