#pragma once
// The core plan: which cpu runs each role, and why. Hot roles (ingest, execution) want isolated
// cpus on the NIC's NUMA node, never the housekeeping cpu, never SMT siblings of each other;
// everything else (analytics, control, the EAL's main lcore) runs on the housekeeping cpu.
// With too few cpus the plan says which roles share and still runs.
#include <string>
#include <variant>
#include <vector>

#include "platform/topology/machine.hpp"

namespace tickpath::platform {

struct CoreRequest {
  int ingest = -1;        // cores.ingest, -1: choose
  int execution = -1;     // cores.execution
  int housekeeping = -1;  // cores.housekeeping
  bool require_isolated = false;
  int nic_numa_node = -1;  // -1: unknown (virtual device)
};

struct CorePlan {
  int ingest_cpu = 0;
  int execution_cpu = 0;
  int housekeeping_cpu = 0;
  // Ingest and execution on one cpu: one thread alternates both poll loops (two spinning
  // threads time-slicing one cpu would be worse).
  bool hot_shared = false;
  bool housekeeping_shared_with_hot = false;
  std::vector<std::string> reasons;   // one line per decision
  std::vector<std::string> warnings;  // what a tuned machine would not have
};

// The plan, or an error that names the config key (cores.ingest, ...) and what is wrong with it.
using PlanResult = std::variant<CorePlan, std::string>;

[[nodiscard]] PlanResult plan_cores(const Machine& machine, const CoreRequest& request);

}  // namespace tickpath::platform
