#pragma once
// What an operator interface (the HTTP server, DPDK telemetry) may ask of the appliance, as a
// handful of callbacks. The interfaces never see a ring, a counter or a histogram: the wiring
// fills these with closures over the aggregator's latest ControlSnapshot and the FailureInjector,
// so a slow or hostile client can cost a housekeeping core some time but never a hot thread.
//
// Every callback is called on an interface's own thread (tp-http, DPDK's telemetry thread),
// possibly concurrently with the other interface: implementations must be thread-safe.
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "control/failure/scenario.hpp"
#include "control/snapshot.hpp"

namespace tickpath::control {

struct ControlApi {
  // The aggregator's latest snapshot, by value (the caller may keep it while a new one is built).
  std::function<ControlSnapshot()> snapshot;
  // The whole /metrics body in the Prometheus text format (to_prometheus).
  std::function<std::string()> prometheus;
  // Health probe results, as a JSON object.
  std::function<nlohmann::json()> health;
  // Activates or deactivates a scenario. Only called with a name parse_scenario knows:
  // the interfaces reject unknown names themselves.
  std::function<FailureResult(std::string_view scenario, bool activate)> failure;

  // True when every callback is set: interfaces refuse to start on an incomplete api, so a
  // request never meets an empty std::function.
  [[nodiscard]] bool complete() const noexcept {
    return snapshot && prometheus && health && failure;
  }
};

}  // namespace tickpath::control
