#pragma once
// The machine the core plan is computed on. Under "/" it is platform/topology's own discovery
// (hwloc plus this process's affinity), so the audit plans exactly what `tickpath run` would.
// Under any other root hwloc cannot help (it reads the live kernel), so the same Machine is built
// from the tree's sysfs alone: the cpus in devices/system/cpu/present, their SMT siblings
// (topology/thread_siblings_list), package (topology/physical_package_id), NUMA node
// (devices/system/node/nodeN/cpulist), and the isolated and nohz_full lists; every cpu counts as
// allowed (a fixture has no affinity mask).
#include "platform/audit/host_fs.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::platform::audit {

[[nodiscard]] Machine machine_from_sysfs(const HostFs& fs);
[[nodiscard]] Machine audit_machine(const HostFs& fs);

}  // namespace tickpath::platform::audit
