#pragma once
// summary.json: the machine-readable record of a run, written once after the drain, and the
// final table printed from it (so the terminal and the file can never disagree).
#include <string>

#include <nlohmann/json.hpp>

#include "apps/tickpath/observables.hpp"
#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::app {

struct RunFacts {
  nlohmann::json config;    // the effective config
  nlohmann::json platform;  // hugepages, tsc_hz, numa_node, cores, isolated, ...
  double duration_s = 0;
  core::Ticks start_tsc = 0;  // lifecycle transition times are relative to this
  std::string stop_reason;    // "duration", "events", "signal"
  int signal = 0;             // the signal that stopped the run, 0 when none
};

// summary.json's figures of one stage: count, min, p50 … p99.99, max, mean (ns), saturated.
[[nodiscard]] nlohmann::json latency_figures(const control::HistogramSnapshot& histogram, const core::TscCalibration& cal);

[[nodiscard]] nlohmann::json build_summary(const Observables& observed, const RunFacts& facts);

// The table printed at the end of a run.
[[nodiscard]] std::string format_final_table(const nlohmann::json& summary);

// Writes `summary` to DIR/summary.json through the io_uring writer (run_files.hpp); returns the
// error ("summary.json: write: No space left on device") or empty.
[[nodiscard]] std::string write_summary(const std::string& dir, const nlohmann::json& summary);

}  // namespace tickpath::app
