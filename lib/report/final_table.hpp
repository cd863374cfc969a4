#pragma once
// The table printed at the end of a run, from its summary.json (so the terminal and the file can
// never disagree), and one stage's figures as summary.json writes them.
#include <string>

#include <nlohmann/json.hpp>

#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/calibration.hpp"
#include "report/run_summary.hpp"

namespace tickpath::report {

// One stage's figures from its histogram: count, min … max, mean (ns), saturated; `negative` is
// the sink's counter, not the histogram's, and is left for the caller.
[[nodiscard]] StageLatency stage_latency(std::string stage, const control::HistogramSnapshot& histogram,
                                         const core::TscCalibration& cal);

// The final table. Reads the summary as build_summary writes it (every section present).
[[nodiscard]] std::string format_final_table(const nlohmann::json& summary);

}  // namespace tickpath::report
