#pragma once
// DPDK telemetry commands for tickpath: the transport of control/views/telemetry_view.hpp, which
// lists the commands and computes every reply. This file only copies the replies into
// rte_tel_data. Query with `dpdk-telemetry.py -f <file-prefix>`.
//
// The callbacks run on DPDK's telemetry thread and carry no user data, hence the one
// process-wide ControlApi pointer below.
#include <string>

#include "control/api/control_api.hpp"
#include "control/api/transport.hpp"

namespace tickpath::platform {

// Call after rte_eal_init. The first call registers the commands; every call (re)points them at
// `api`, which must outlive the next call. register_telemetry(nullptr) detaches before `api` is
// destroyed: it waits for a callback in progress, and later queries answer {"error": ...}.
// Returns an error text, empty on success; a failed registration leaves the appliance running
// without the commands.
std::string register_telemetry(const control::ControlApi* api);

// register_telemetry as a control::Transport: start attaches, stop detaches.
class TelemetryTransport final : public control::Transport {
 public:
  ~TelemetryTransport() override { stop(); }
  [[nodiscard]] std::string start(const control::ControlApi& api) override;
  void stop() noexcept override;

 private:
  bool attached_ = false;
};

}  // namespace tickpath::platform
