// Prints the /metrics body of a hand-built ControlSnapshot, so `promtool check metrics` can judge
// the exposition format itself (tests/control/meson.build pipes one into the other). The snapshot
// covers every family: several latency stages with data spread over most bucket bounds, one with
// nothing recorded yet, saturated values, and a consumer name that needs label escaping.
#include <cstdint>
#include <iostream>

#include "control/health/health_metrics.hpp"
#include "control/metrics/histogram.hpp"
#include "control/metrics/prometheus.hpp"

namespace {

tickpath::control::HistogramSnapshot spread(std::uint64_t from, std::uint64_t to, std::uint64_t step) {
  tickpath::control::Histogram h;
  for (std::uint64_t v = from; v < to; v += step) h.record(v);
  return h.snapshot();
}

}  // namespace

int main() {
  using tickpath::control::ControlSnapshot;
  ControlSnapshot s;
  // 3 GHz: bucket highest values convert to seconds through a non-trivial calibration.
  s.calibration = tickpath::core::TscCalibration(3e9);
  s.uptime_s = 12.5;
  s.taken_tsc = 37'500'000'000;
  s.state = "DEGRADED";
  s.link_up = true;
  s.ready = false;
  s.ready_reason = "lifecycle DEGRADED";
  s.frames = 1'000'000;
  s.published = 998'000;
  s.heartbeats = 12;
  s.malformed = 1500;
  s.foreign = 500;
  s.drops = {{"truncated", 1500}, {"not_ipv4", 300}, {"wrong_port", 200}};
  s.feed_gaps = 3;
  s.last_event_tsc = s.taken_tsc - 3000;
  s.nic_ipackets = 1'000'100;
  s.nic_missed = 100;
  s.nic_errors = 1;
  s.nic_rx_nombuf = 0;
  s.executed = 990'000;
  s.provisional = 8000;
  s.consumers = {{"execution", 998'000, 0, 0, 12}, {"analytics", 990'000, 2, 8000, 300},
                 {"odd \"name\" \\ with\nnewline", 0, 0, 0, 0}};
  s.latency.emplace_back("ingest_to_ack", spread(300, 30'000'000, 1013));  // 100 ns .. 10 ms
  s.latency.emplace_back("queue", spread(100, 300'000, 97));
  s.latency.emplace_back("decision", tickpath::control::HistogramSnapshot{});
  s.latency.emplace_back("ack", spread(1'000'000'000, 9'000'000'000, 100'000'007));  // 0.33 s .. 3 s
  s.active_failures = {"market_data_outage"};
  std::cout << tickpath::control::to_prometheus(s);
  // /metrics appends the health probes' family (control/plane/control_plane.cpp): judged in the same body.
  using tickpath::control::HealthStatus;
  std::cout << tickpath::control::to_prometheus(std::vector<tickpath::control::ProbeResult>{
      {"feed_stale", HealthStatus::fail, "no frame for 3 s"}, {"feed_gap", HealthStatus::ok, ""},
      {"consumer_overruns", HealthStatus::warn, "analytics lapped"}});
  return 0;
}
