#pragma once
// A set of repeated child runs of one configuration: <folder>/run-1 ... run-N (each a normal run
// folder, made by a child `tickpath run --run-folder`) and <folder>/aggregate.json. Used by
// `tickpath run --repeat N` (one set) and `tickpath sweep` (one set per combination).
//
// aggregate.json:
//   {"runs_planned": N, "runs_completed": k, "interrupted_by": "" | "SIGINT" | "SIGTERM",
//    "runs": [{"name": "run-1", "folder": ABS, "exit_code": 0, "completed": true}, ...],
//    "metrics": {"latency_ns.ingest_to_ack.p50": {"n", "mean", "min", "max", "stddev", "values"}, ...}}
// Only completed runs (exit 0, summary.json present, not stopped by a signal) are aggregated;
// stddev is the sample standard deviation (n - 1), 0 for a single run.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/tickpath/run_command.hpp"

namespace tickpath::app {

struct RunRecord {
  std::string name;    // "run-1"
  std::string folder;  // absolute
  int exit_code = -1;
  bool completed = false;
  nlohmann::json metrics = nlohmann::json::object();  // run_metrics() of its summary
};

// The figures compared across runs, flat "a.b.c" -> number, from one summary.json:
// throughput.events_per_s, events.published, drops.total (NIC + decoder + execution consumer
// losses: every frame that did not become an ack), drops.nic, drops.decoder,
// lost.execution, lost.analytics, latency_ns.<stage>.<p50|p99|p99_9|p99_99|max|mean>,
// floor.c2c_ns, floor.jitter_max_ns (the worst hot cpu), duration_s.
[[nodiscard]] nlohmann::json run_metrics(const nlohmann::json& summary);

// Per metric over the completed runs: {n, mean, min, max, stddev, values}.
[[nodiscard]] nlohmann::json aggregate_metrics(const std::vector<RunRecord>& runs);

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

// `run`'s options as child arguments (without --report-dir: the parent names the folders).
[[nodiscard]] std::vector<std::string> child_run_args(const RunOptions& options);

// "SIGINT" / "SIGTERM" / "signal N".
[[nodiscard]] std::string signal_name(int sig);

// `tickpath run --repeat N`: exit 0 all runs completed, 1 a run failed, 2 bad input,
// 128 + signal when interrupted (what finished is kept).
int repeat_command(const RunOptions& options, int repeat);

}  // namespace tickpath::app
