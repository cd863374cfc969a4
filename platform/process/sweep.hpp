#pragma once
// `tickpath sweep`'s runs: one run set (run_set.hpp) per combination of the varied values, in
// order, into one sweep folder; sweep.csv and sweep.json rewritten after every combination (an
// interrupted sweep keeps what finished, tabulated), sweep.html at the end. Sequential: one EAL at
// a time (the user's eal.file_prefix / http.listen, if set, reach every child unchanged via --set).
#include <functional>
#include <string>
#include <vector>

#include "report/run_set_report.hpp"
#include "report/sweep_plan.hpp"

namespace tickpath::platform {

struct SweepPlan {
  std::vector<report::Vary> varies;
  std::vector<report::Combination> combinations;  // report::cartesian(varies)
  std::vector<std::string> child_args;  // "run", --config, --duration ..., --set (each combination's --set follow)
  std::vector<std::string> eal_extra;   // after `--`, for every child
  int repeat = 1;
  std::string folder;  // the sweep folder, created by the caller
  // The files of the sweep folder that could not be written ("sweep.csv: write: ..."), when any.
  std::function<void(const std::vector<std::string>&)> report_errors;
};

struct SweepOutcome {
  report::SweepResult sweep;  // what ran, for the table
  int signal = 0;             // SIGINT/SIGTERM stopped it
  bool bad_input = false;     // a child rejected its input: the sweep stopped there
  bool any_failed = false;
};

// Installs ChildSignals for its duration. Each combination's runs go to
// <folder>/<report::folder_name(combination)>/run-1..N.
[[nodiscard]] SweepOutcome run_sweep(const SweepPlan& plan);

}  // namespace tickpath::platform
