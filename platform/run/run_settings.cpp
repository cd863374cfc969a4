#include "platform/run/run_settings.hpp"

namespace tickpath::platform {

control::ControlPlaneSettings control_settings(const config::Config& c) {
  control::ControlPlaneSettings cps;
  cps.http_listen = c.http.listen;
  cps.automation = c.automation.enabled;
  cps.thresholds.stale_after_s = static_cast<double>(c.health.stale_after_ms) / 1000.0;
  cps.thresholds.max_lag_events = c.health.max_lag_events != 0 ? c.health.max_lag_events : c.ring.capacity;
  cps.thresholds.max_line_skew_ns = c.health.max_line_skew_us * 1e3;
  return cps;
}

std::vector<control::ScheduleWindow> schedule_windows(const config::Config& config) {
  std::vector<control::ScheduleWindow> out;
  for (const auto& w : config.failure.schedule) out.push_back({*control::parse_scenario(w.scenario), w.at_event, w.for_events});
  return out;
}

}  // namespace tickpath::platform
