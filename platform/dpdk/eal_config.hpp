#pragma once
// The EAL's and the ports' settings from the config: the one place `run` (and anything else that
// starts the receiver's EAL) turns eal.*, [port] and [ingest.lines] into what platform/dpdk takes.
// Pure: nothing here touches DPDK, so it is unit-tested without the EAL.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "platform/dpdk/eal_args.hpp"
#include "platform/dpdk/hugepages.hpp"
#include "platform/dpdk/port.hpp"

namespace tickpath::platform {

// eal.*, line A's port and line B's when there is one; the EAL's main lcore is `main_cpu` (the
// housekeeping cpu); `extra_args` come after `--` on the command line.
[[nodiscard]] EalSettings eal_settings(const config::Config& config, int main_cpu,
                                       const std::vector<std::string>& extra_args);

// [port] for ingest line `line` (0: A, or the one port; 1: B): the line's device, the shared
// descriptor, pool and offload keys.
[[nodiscard]] PortSettings port_settings(const config::Config& config, std::size_t line);

// eal.hugepages against what the kernel offers, for a ring of `ring_bytes` and one mbuf pool per
// port (eal.memory_mb, when set, sizes --no-huge).
[[nodiscard]] HugepageDecision decide_hugepages(const config::Config& config, const HugepageProbe& probe,
                                                std::uint64_t ring_bytes);

}  // namespace tickpath::platform
