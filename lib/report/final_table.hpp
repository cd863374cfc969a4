#pragma once
// The table printed at the end of a run, from its summary.json (so the terminal and the file can
// never disagree), and one stage's figures as summary.json writes them.
#include <string>

#include <nlohmann/json.hpp>

#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::report {

// summary.json's figures of one stage: count, min, p50 … p99.99, max, mean (ns), saturated.
[[nodiscard]] nlohmann::json latency_figures(const control::HistogramSnapshot& histogram, const core::TscCalibration& cal);

// The final table. Reads the summary as build_summary writes it (every section present).
[[nodiscard]] std::string format_final_table(const nlohmann::json& summary);

}  // namespace tickpath::report
