#pragma once
// The health probes' last results in the Prometheus text format, appended to /metrics:
//   tickpath_health_status{probe="feed_stale",status="ok"} 1   (one-hot over ok/warn/fail)
// Dashboards and alerts then see a probe's status without parsing /health's JSON.
#include <string>
#include <vector>

#include "control/health/probes.hpp"

namespace tickpath::control {

[[nodiscard]] std::string to_prometheus(const std::vector<ProbeResult>& results);

}  // namespace tickpath::control
