#pragma once
// `tickpath run`'s preflight: the machine's floor measured on the run's own hot cpus just before
// warmup (preflight.jitter_s, preflight.c2c_samples), so every summary.json carries the noise and
// handoff floor it ran on, and the final table can say how far above that floor the pipeline is.
#include <string>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "core/time/calibration.hpp"
#include "platform/topology/core_plan.hpp"

namespace tickpath::app {

// Prints one line per measurement. Returns the keys to merge into summary.json `platform`:
//   jitter:  platform/floor's jitter JSON for the hot cpus, or null when skipped
//   c2c_ns:  one-way p50 ingest cpu -> execution cpu in ns; null when skipped or one shared cpu
//   c2c:     the pair's figures, or {"same_cpu": true, "cpu": N, "note": ...}, or {"skipped": true}
[[nodiscard]] nlohmann::json measure_preflight(const config::Config::Preflight& preflight, const platform::CorePlan& plan,
                                               const core::TscCalibration& calibration);

// Lines for the end of the final table: the floor, and ingest_to_ack p50 as a multiple of c2c.
// Empty when the summary has no preflight figures.
[[nodiscard]] std::string format_floor(const nlohmann::json& summary);

}  // namespace tickpath::app
