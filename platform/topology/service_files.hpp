#pragma once
// The core plan as files an SRE installs next to the service: a systemd drop-in that keeps the
// process (and so every thread it does not pin itself) on the housekeeping cpus, and a tuned
// profile that isolates the hot cpus. Pure text from (machine, plan): unit-tested, written by
// `tickpath topology --systemd / --tuned`.
#include <string>
#include <vector>

#include "platform/topology/core_plan.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::platform {

// The cpus of the hot roles (ingest, execution), ascending, without duplicates.
[[nodiscard]] std::vector<int> hot_cpus(const CorePlan& plan);

// Every cpu of the machine that no hot role uses; the housekeeping cpu alone when the hot roles
// took every other one (a machine with too few cpus).
[[nodiscard]] std::vector<int> housekeeping_cpus(const Machine& machine, const CorePlan& plan);

// "0-3,8,10-11": ranges where consecutive, as both systemd (CPUAffinity=) and tuned read it.
[[nodiscard]] std::string format_cpu_ranges(std::vector<int> cpus);

// /etc/systemd/system/tickpath.service.d/cpu-affinity.conf: [Service] CPUAffinity=<housekeeping>.
// The hot threads pin themselves onto their cpus afterwards (sched_setaffinity may leave the
// unit's initial mask; a cgroup AllowedCPUs= would forbid it, so this drop-in does not set one).
[[nodiscard]] std::string systemd_affinity_dropin(const Machine& machine, const CorePlan& plan);

// /etc/tuned/tickpath-cpu-partitioning/tuned.conf: include=cpu-partitioning with isolated_cores
// and no_balance_cores set to the plan's hot cpus.
[[nodiscard]] std::string tuned_profile(const CorePlan& plan);

inline constexpr const char* kTunedProfileName = "tickpath-cpu-partitioning";

}  // namespace tickpath::platform
