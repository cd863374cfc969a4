#pragma once
// summary.json: the machine-readable record of a run, written once after the drain. The final
// table printed from it and the stage figures are lib/report/final_table.hpp's.
#include <string>

#include <nlohmann/json.hpp>

#include "control/plane/observables.hpp"
#include "report/final_table.hpp"

namespace tickpath::app {

struct RunFacts {
  nlohmann::json config;    // the effective config
  nlohmann::json platform;  // hugepages, tsc_hz, numa_node, cores, isolated, ...
  double duration_s = 0;
  core::Ticks start_tsc = 0;  // lifecycle transition times are relative to this
  std::string stop_reason;    // "duration", "events", "signal"
  int signal = 0;             // the signal that stopped the run, 0 when none
};

using report::latency_figures;  // one stage's figures (lib/report/final_table.hpp)

[[nodiscard]] nlohmann::json build_summary(const control::Observables& observed, const RunFacts& facts);

using report::format_final_table;  // the table printed at the end of a run

// Writes `summary` to DIR/summary.json through the io_uring writer (platform/uring/run_files.hpp); returns the
// error ("summary.json: write: No space left on device") or empty.
[[nodiscard]] std::string write_summary(const std::string& dir, const nlohmann::json& summary);

}  // namespace tickpath::app
