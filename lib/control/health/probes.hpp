#pragma once
// Health probes: each a name, a status and a
// reason, evaluated on the control thread from two consecutive snapshots, so "rising" means
// "rose during the last interval". Nothing here reads the hot path's structures.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/snapshot.hpp"

namespace tickpath::control {

enum class HealthStatus : std::uint8_t { ok, warn, fail };

[[nodiscard]] std::string_view to_string(HealthStatus s) noexcept;

struct ProbeResult {
  std::string name;
  HealthStatus status = HealthStatus::ok;
  std::string reason;
};

struct HealthThresholds {
  double stale_after_s = 2.0;               // health.stale_after_ms
  std::uint64_t max_lag_events = 65536;     // health.max_lag_events (0 in config: ring capacity)
  double max_line_skew_ns = 1e6;            // health.max_line_skew_us: |B - A| p99 over an interval
};

// Probes, in this order: feed_stale, feed_gap, nic_drops, consumer_overruns, execution_lag, and
// with two lines (ingest.lines) line_health: a line silent while the other flows, or the
// interval's skew p99 beyond max_line_skew_ns. It warns, never fails: one healthy line keeps the
// appliance READY (feed_stale looks at both lines together), and the reason says so.
[[nodiscard]] std::vector<ProbeResult> evaluate_health(const ControlSnapshot& previous, const ControlSnapshot& current,
                                                      const HealthThresholds& thresholds);

[[nodiscard]] HealthStatus worst(const std::vector<ProbeResult>& results) noexcept;
[[nodiscard]] const ProbeResult* find_probe(const std::vector<ProbeResult>& results, std::string_view name) noexcept;
[[nodiscard]] nlohmann::json to_json(const std::vector<ProbeResult>& results);

}  // namespace tickpath::control
