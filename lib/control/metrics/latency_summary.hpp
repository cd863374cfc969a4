#pragma once
// A histogram snapshot reduced to the figures an operator reads, converted from ticks to
// nanoseconds once, here in the control plane (never per event). Feeds summary.json, the live
// stats line and /metrics.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "control/metrics/histogram_snapshot.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::control {

// All figures except count are nanoseconds. Percentiles are HistogramSnapshot's (highest value
// of the bucket, clamped to [min, max]), so they carry its relative error (< 2^-sub_bucket_bits).
struct LatencySummary {
  std::uint64_t count = 0;
  double min = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double p99_9 = 0;
  double p99_99 = 0;
  double max = 0;
  double mean = 0;
};

[[nodiscard]] LatencySummary summarize(const HistogramSnapshot& ticks,
                                       const core::TscCalibration& calibration) noexcept;

// {"count", "min_ns", "p50_ns", "p90_ns", "p99_ns", "p99_9_ns", "p99_99_ns", "max_ns", "mean_ns"}:
// the unit is in the key so a reader of summary.json never has to guess.
[[nodiscard]] nlohmann::json to_json(const LatencySummary& summary);
// The same, found by nlohmann's ADL hook so `nlohmann::json j = summary;` works.
void to_json(nlohmann::json& out, const LatencySummary& summary);

}  // namespace tickpath::control
