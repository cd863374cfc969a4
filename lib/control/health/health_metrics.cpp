#include "control/health/health_metrics.hpp"

#include <fmt/format.h>

namespace tickpath::control {

std::string to_prometheus(const std::vector<ProbeResult>& results) {
  if (results.empty()) return {};  // before the first interval: no probe has run yet
  std::string out =
      "# HELP tickpath_health_status 1 for each health probe's status in the last interval.\n"
      "# TYPE tickpath_health_status gauge\n";
  for (const ProbeResult& r : results) {
    for (HealthStatus s : {HealthStatus::ok, HealthStatus::warn, HealthStatus::fail}) {
      // Probe names are fixed identifiers (probes.hpp), never user text: no escaping needed.
      out += fmt::format("tickpath_health_status{{probe=\"{}\",status=\"{}\"}} {}\n", r.name, to_string(s),
                         r.status == s ? 1 : 0);
    }
  }
  return out;
}

}  // namespace tickpath::control
