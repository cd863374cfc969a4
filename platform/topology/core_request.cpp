#include "platform/topology/core_request.hpp"

#include "platform/topology/machine.hpp"

namespace tickpath::platform {

CoreRequest core_request(const config::Config& c) {
  CoreRequest request;
  request.ingest = c.cores.ingest;
  request.execution = c.cores.execution;
  request.housekeeping = c.cores.housekeeping;
  request.require_isolated = c.cores.require_isolated;
  const std::string pci = config::ingest_line(c, 0).pci;
  request.nic_numa_node = pci.empty() ? -1 : pci_numa_node(pci);
  return request;
}

RunThreadSwitches run_thread_switches(const config::Config& c) {
  RunThreadSwitches switches;
  switches.analytics = c.analytics.enabled;
  switches.http = !c.http.listen.empty();
  switches.ack_log = c.report.ack_log;
  switches.preflight_jitter = c.preflight.jitter_s > 0;
  switches.preflight_c2c = c.preflight.c2c_samples > 0;
  return switches;
}

}  // namespace tickpath::platform
