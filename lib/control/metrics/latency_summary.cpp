#include "control/metrics/latency_summary.hpp"

namespace tickpath::control {

LatencySummary summarize(const HistogramSnapshot& ticks,
                         const core::TscCalibration& calibration) noexcept {
  const auto ns_at = [&](double p) { return calibration.to_ns(ticks.value_at_percentile(p)); };
  return LatencySummary{
      .count = ticks.count(),
      .min = calibration.to_ns(ticks.min()),
      .p50 = ns_at(50.0),
      .p90 = ns_at(90.0),
      .p99 = ns_at(99.0),
      .p99_9 = ns_at(99.9),
      .p99_99 = ns_at(99.99),
      .max = calibration.to_ns(ticks.max()),
      // The mean is a double already: scale it rather than round it through Ticks.
      .mean = ticks.mean() * calibration.ns_per_tick(),
  };
}

nlohmann::json to_json(const LatencySummary& summary) {
  nlohmann::json out;
  to_json(out, summary);
  return out;
}

void to_json(nlohmann::json& out, const LatencySummary& summary) {
  out = nlohmann::json{
      {"count", summary.count},   {"min_ns", summary.min},       {"p50_ns", summary.p50},
      {"p90_ns", summary.p90},    {"p99_ns", summary.p99},       {"p99_9_ns", summary.p99_9},
      {"p99_99_ns", summary.p99_99}, {"max_ns", summary.max},    {"mean_ns", summary.mean},
  };
}

}  // namespace tickpath::control
