#include "apps/tickpath/live_stats.hpp"

#include <fmt/format.h>

#include "control/metrics/line_figures.hpp"

#include "control/metrics/latency_summary.hpp"

namespace tickpath::app {

LiveStats::LiveStats(const Observables& observed)
    : observed_(&observed) {
  if (observed.sink != nullptr) {
    last_latency_ = observed.sink->ingest_to_ack().snapshot();
    last_wire_ = observed.sink->wire_to_ack().snapshot();
  }
}

std::string LiveStats::next_line(double elapsed_s) {
  const Observables& o = *observed_;
  const std::uint64_t events = o.counters->ingest.events.load();
  const std::uint64_t missed = o.nic().imissed;
  const std::uint64_t exec_overruns = o.counters->execution.overruns.load();
  const std::uint64_t analytics_overruns = o.counters->analytics.overruns.load();
  control::HistogramSnapshot now;
  control::HistogramSnapshot wire_now;
  control::LatencySummary lat;
  control::LatencySummary wire;
  if (o.sink != nullptr) {
    wire_now = o.sink->wire_to_ack().snapshot();
    control::HistogramSnapshot wire_interval = wire_now;
    wire_interval.subtract(last_wire_);
    wire = control::summarize(wire_interval, o.calibration);
    now = o.sink->ingest_to_ack().snapshot();
    control::HistogramSnapshot interval = now;
    interval.subtract(last_latency_);
    lat = control::summarize(interval, o.calibration);
  }

  const double dt = elapsed_s - last_s_;
  const double rate = dt > 0 ? static_cast<double>(events - last_events_) / dt : 0.0;
  std::string line = fmt::format(
      "t={:.1f}s {:<8} events/s {:>7}  nic_missed +{}  overruns exec +{}", elapsed_s,
      core::to_string(o.lifecycle->current()), format_rate(rate), missed - last_missed_,
      exec_overruns - last_exec_overruns_);
  if (o.analytics_enabled) line += fmt::format(" analytics +{}", analytics_overruns - last_analytics_overruns_);
  if (o.sink == nullptr) {
    line += "  latency off (null sink)";
  } else if (lat.count > 0) {
    line += fmt::format("  ingest_to_ack p50 {} p99 {} max {}", format_ns(lat.p50), format_ns(lat.p99),
                        format_ns(lat.max));
  } else {
    line += "  ingest_to_ack -";
  }
  if (wire.count > 0) {
    line += fmt::format("  wire_to_ack p50 {} p99 {}", format_ns(wire.p50), format_ns(wire.p99));
  }
  if (o.lines != nullptr) line += "  " + control::lines_live(*o.lines, *o.line_skew, o.calibration);

  last_s_ = elapsed_s;
  last_events_ = events;
  last_missed_ = missed;
  last_exec_overruns_ = exec_overruns;
  last_analytics_overruns_ = analytics_overruns;
  last_latency_ = std::move(now);
  if (o.sink != nullptr) last_wire_ = std::move(wire_now);
  return line;
}

}  // namespace tickpath::app
