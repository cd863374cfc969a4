#pragma once
// An operator interface that carries the control plane's views to the outside: the HTTP server,
// DPDK telemetry. lib/control defines the hook, platform/ implements it, and the wiring (apps)
// hands the implementations to ControlPlane::start, so the control plane never includes
// platform/ and a transport never computes a figure: it serves what ControlApi returns.
#include <string>

#include "control/api/control_api.hpp"

namespace tickpath::control {

class Transport {
 public:
  Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  virtual ~Transport() = default;

  // Starts serving `api`, which stays valid until stop() returns. Returns an error text (the run
  // exits 1), empty on success. A transport with nothing to do (no listen address) succeeds.
  [[nodiscard]] virtual std::string start(const ControlApi& api) = 0;
  // Stops serving; afterwards no callback of the api is running or will run. Idempotent.
  virtual void stop() noexcept = 0;
  // The TCP port it listens on, 0 when it has none (telemetry) or is not started.
  [[nodiscard]] virtual int port() const noexcept { return 0; }
};

}  // namespace tickpath::control
