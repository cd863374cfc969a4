#include "control/plane/live_line.hpp"

#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "control/metrics/latency_summary.hpp"
#include "control/metrics/line_figures.hpp"
#include "report/number_format.hpp"

namespace tickpath::control {
namespace {

const ConsumerSnapshot* find_consumer(const ControlSnapshot& s, std::string_view name) {
  for (const ConsumerSnapshot& c : s.consumers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::uint64_t overruns(const ControlSnapshot* s, std::string_view consumer) {
  const ConsumerSnapshot* c = s != nullptr ? find_consumer(*s, consumer) : nullptr;
  return c != nullptr ? c->overruns : 0;
}

// The stage's latency over the interval; count 0 when the stage is not recorded.
LatencySummary interval_latency(const ControlSnapshot& now, const ControlSnapshot* before, std::string_view stage) {
  for (std::size_t i = 0; i < now.latency.size(); ++i) {
    if (now.latency[i].first != stage) continue;
    HistogramSnapshot interval = now.latency[i].second;
    if (before != nullptr && i < before->latency.size()) interval.subtract(before->latency[i].second);
    return summarize(interval, now.calibration);
  }
  return {};
}

}  // namespace

std::string live_line(const ControlSnapshot& now, const ControlSnapshot* before) {
  using report::format_ns;
  const auto delta = [&](std::uint64_t ControlSnapshot::*counter) {
    return now.*counter - (before != nullptr ? before->*counter : 0);
  };
  const double dt = now.uptime_s - (before != nullptr ? before->uptime_s : 0.0);
  const double rate = dt > 0 ? static_cast<double>(delta(&ControlSnapshot::published)) / dt : 0.0;
  std::string line = fmt::format("t={:.1f}s {:<8} events/s {:>7}  nic_missed +{}  overruns exec +{}", now.uptime_s,
                                 now.state, report::format_rate(rate), delta(&ControlSnapshot::nic_missed),
                                 overruns(&now, "execution") - overruns(before, "execution"));
  if (find_consumer(now, "analytics") != nullptr) {
    line += fmt::format(" analytics +{}", overruns(&now, "analytics") - overruns(before, "analytics"));
  }
  const LatencySummary lat = interval_latency(now, before, "ingest_to_ack");
  if (now.latency.empty()) {
    line += "  latency off (null sink)";
  } else if (lat.count > 0) {
    line += fmt::format("  ingest_to_ack p50 {} p99 {} max {}", format_ns(lat.p50), format_ns(lat.p99), format_ns(lat.max));
  } else {
    line += "  ingest_to_ack -";
  }
  if (const LatencySummary wire = interval_latency(now, before, "wire_to_ack"); wire.count > 0) {
    line += fmt::format("  wire_to_ack p50 {} p99 {}", format_ns(wire.p50), format_ns(wire.p99));
  }
  if (now.lines.size() == 2) line += "  " + lines_live(now);
  return line;
}

}  // namespace tickpath::control
