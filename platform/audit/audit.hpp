#pragma once
// `tickpath audit`: is this host fit for the config's core plan and port? Reads /proc and /sys
// under a root directory, plans the cores as `tickpath run` would, and checks each kernel and
// firmware setting that puts noise on the hot cores (docs/tuning.md explains every check).
#include <string>

#include "platform/audit/report.hpp"
#include "platform/topology/core_plan.hpp"

namespace tickpath::platform::audit {

struct AuditRequest {
  std::string root = "/";
  CoreRequest cores;  // cores.*; nic_numa_node is filled in from the port here
  std::string pci;    // port.pci, empty for a virtual device
  std::string vdev;   // port.vdev
  bool hugepages_required = false;  // eal.hugepages = "required": missing hugepages FAIL, else WARN
};

[[nodiscard]] AuditReport run_audit(const AuditRequest& request);

}  // namespace tickpath::platform::audit
