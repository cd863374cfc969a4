#pragma once
// The core plan's request from the config: cores.*, and the NIC's NUMA node from line A's PCI
// address (-1 with a virtual device). `run`, `topology` and `audit` plan from this one request.
#include "config/config.hpp"
#include "platform/topology/core_plan.hpp"
#include "platform/topology/planned_threads.hpp"

namespace tickpath::platform {

[[nodiscard]] CoreRequest core_request(const config::Config& config);

// The threads the config switches on: analytics, the HTTP server (http.listen), the ack log's
// drain, the preflight's jitter and c2c probes.
[[nodiscard]] RunThreadSwitches run_thread_switches(const config::Config& config);

}  // namespace tickpath::platform
