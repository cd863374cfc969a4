#pragma once
// A set of repeated child runs of one configuration: <folder>/run-1 ... run-N (each a normal run
// folder, made by a child `tickpath run --run-folder`) and <folder>/aggregate.json
// (lib/report/run_set_report.hpp has its format). Used by `tickpath run --repeat N` (one set) and
// `tickpath sweep` (one set per combination).
#include <string>
#include <vector>

#include "report/run_set_report.hpp"

namespace tickpath::platform {

using report::RunRecord;

struct RunSetPlan {
  std::vector<std::string> child_args;  // "run", --config, --set ... (no --run-folder, no `--`)
  std::vector<std::string> eal_extra;   // after `--`
  int repeat = 1;
  std::string folder;  // created by the caller
  // Stream each child's output prefixed with "[run-i] " (run --repeat); otherwise one progress
  // line per run, with `label` (sweep).
  bool echo = true;
  std::string label;
  int* progress_done = nullptr;  // runs finished across sets, for "[k/M]"
  int progress_total = 0;
};

struct RunSetOutcome {
  std::vector<RunRecord> runs;
  int signal = 0;          // SIGINT/SIGTERM received: the set stopped early
  bool bad_input = false;  // a child rejected its input (exit 2): nothing further will work
  bool any_failed = false;
};

// Runs the set, writing aggregate.json after every run (an interrupted set keeps what finished).
// ChildSignals must be installed by the caller.
[[nodiscard]] RunSetOutcome run_set(const RunSetPlan& plan);

}  // namespace tickpath::platform
