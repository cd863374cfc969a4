// `tickpath topology`: the machine as hwloc and the kernel see it, and the core plan the config
// would get, and every thread a run would start. Starts nothing (no EAL, no threads), so it is safe on a production box.
#include "apps/tickpath/topology_command.hpp"

#include <fmt/format.h>

#include "apps/tickpath/settings.hpp"
#include "platform/topology/core_plan.hpp"
#include "platform/topology/format.hpp"
#include "platform/topology/machine.hpp"
#include "platform/topology/planned_threads.hpp"

namespace tickpath::app {

int topology_command(const TopologyOptions& options) {
  auto resolved = resolve_settings(options.config_path, options.overrides, nullptr);
  if (auto* error = std::get_if<std::string>(&resolved)) {
    fmt::print(stderr, "tickpath: {}\n", *error);
    return 2;
  }
  const AppSettings& s = std::get<AppSettings>(resolved);
  const platform::Machine machine = platform::discover_machine();
  fmt::print("{}\n", platform::format_machine(machine));

  platform::CoreRequest request;
  request.ingest = s.ingest_cpu;
  request.execution = s.execution_cpu;
  request.housekeeping = s.housekeeping_cpu;
  request.require_isolated = s.require_isolated;
  request.nic_numa_node = s.pci.empty() ? -1 : platform::pci_numa_node(s.pci);
  if (!s.pci.empty()) fmt::print("port {}: NUMA node {}\n", s.pci, request.nic_numa_node);
  auto planned = platform::plan_cores(machine, request);
  if (auto* error = std::get_if<std::string>(&planned)) {
    fmt::print(stderr, "tickpath: {}\n", *error);
    return 2;
  }
  const platform::CorePlan& plan = std::get<platform::CorePlan>(planned);
  fmt::print("{}", platform::format_plan(plan));
  platform::RunThreadSwitches switches;
  switches.analytics = s.analytics;
  switches.http = !s.http_listen.empty();
  switches.ack_log = s.ack_log;
  switches.preflight_jitter = s.preflight_jitter_s > 0;
  switches.preflight_c2c = s.preflight_c2c_samples > 0;
  fmt::print("{}", platform::format_threads(platform::planned_threads(plan, switches)));
  return 0;
}

}  // namespace tickpath::app
