#pragma once
// The files and tables of repeated runs: aggregate.json and the `run --repeat` table (one set of
// runs), sweep.csv, sweep.json, the sweep table and sweep.html (one set per combination of
// --vary values). Pure renderers over the runs' metrics (metric_catalogue.hpp); the app runs
// the children and writes the files.
//
// aggregate.json:
//   {"runs_planned": N, "runs_completed": k, "interrupted_by": "" | "SIGINT" | "SIGTERM",
//    "runs": [{"name": "run-1", "folder": ABS, "exit_code": 0, "completed": true}, ...],
//    "metrics": {"latency.ingest_to_ack.p50_ns": {"n", "mean", "min", "max", "stddev", "values"}, ...}}
// Only completed runs (exit 0, summary.json present, not stopped by a signal) are aggregated;
// stddev is the sample standard deviation (n - 1), 0 for a single run.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tickpath::report {

struct RunRecord {
  std::string name;    // "run-1"
  std::string folder;  // absolute
  int exit_code = -1;
  bool completed = false;
  nlohmann::json metrics = nlohmann::json::object();  // metrics_json(run_metrics(summary))
};

// Per metric over the completed runs: {n, mean, min, max, stddev, values}.
[[nodiscard]] nlohmann::json aggregate_metrics(const std::vector<RunRecord>& runs);

[[nodiscard]] int completed_runs(const std::vector<RunRecord>& runs);

// aggregate.json; `interrupted_by` is "" or the signal's name.
[[nodiscard]] nlohmann::json aggregate_document(int runs_planned, const std::vector<RunRecord>& runs,
                                                const std::string& interrupted_by);

// One line per finished run: "[3/8] ingest.burst=8 run-1: events/s 1.2M  ingest_to_ack p50 …".
// `where` is the "[k/M] " prefix or empty, `label` the combination or empty.
[[nodiscard]] std::string format_run_line(const std::string& where, const std::string& label, const RunRecord& run);

// The table `run --repeat` prints at the end: mean, stddev, sd/mean, min, max of the key figures.
[[nodiscard]] std::string format_repeat_table(const std::vector<RunRecord>& runs, int repeat);

// A sweep: the varied keys with their values as the user wrote them, and per combination run so
// far the repeats that ran.
struct SweepKey {
  std::string key;
  std::vector<std::string> values;
};

struct SweepCombination {
  std::string name;                // "ingest.burst=8,ring.capacity=4096"
  std::vector<std::string> shown;  // one value per key
  std::string folder;
  std::vector<RunRecord> runs;
};

struct SweepResult {
  std::vector<SweepKey> keys;
  int repeat = 1;
  std::size_t runs_planned = 0;
  std::vector<SweepCombination> combinations;  // those started, in order
  std::string interrupted_by;                  // "" or the signal's name
};

// sweep.csv: one row per run (combination, varied values, repeat, exit code, figures, folder).
[[nodiscard]] std::string sweep_csv(const SweepResult& sweep);
// sweep.json: {"vary", "repeat", "runs_planned", "runs_completed", "interrupted_by",
//              "combinations": [{name, settings, folder, runs_completed, metrics}], "runs": [...]}
[[nodiscard]] nlohmann::json sweep_json(const SweepResult& sweep);
// Per combination, the mean of each figure and its spread across repeats.
[[nodiscard]] std::string format_sweep_table(const SweepResult& sweep);
// The same table as a page, each run linked to its own report.html relative to `dir` (the sweep
// folder can be moved or archived whole).
[[nodiscard]] std::string render_sweep_html(const std::string& dir, const SweepResult& sweep);

}  // namespace tickpath::report
