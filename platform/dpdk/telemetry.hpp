#pragma once
// DPDK telemetry commands for tickpath, answered from ControlApi like the HTTP interface:
//
//   /tickpath/state      lifecycle, readiness and why, link, uptime, active failures
//   /tickpath/stats      ingest, drop (one drop_<reason> per reason), NIC and execution counters
//   /tickpath/latency    per stage: count and p50/p99/p99_9/max in ns
//   /tickpath/health     the health probes
//   /tickpath/consumers  per consumer: consumed, overruns, lost, lag
//
// Query with `dpdk-telemetry.py -f <file-prefix>`. The callbacks run on DPDK's telemetry thread
// and carry no user data, hence the one process-wide ControlApi pointer below.
#include <string>

#include "platform/http/control_api.hpp"

namespace tickpath::platform {

// Call after rte_eal_init. The first call registers the commands; every call (re)points them at
// `api`, which must outlive the next call. register_telemetry(nullptr) detaches before `api` is
// destroyed: it waits for a callback in progress, and later queries answer {"error": ...}.
// Returns an error text, empty on success; a failed registration leaves the appliance running
// without the commands.
std::string register_telemetry(const ControlApi* api);

}  // namespace tickpath::platform
