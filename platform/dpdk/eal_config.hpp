#pragma once
// The EAL's and the ports' settings from the config: the one place `run` (and anything else that
// starts the receiver's EAL) turns eal.*, [port] and [ingest.lines] into what platform/dpdk takes.
// Likewise for the transmitter (`gen`), from its command line: wire::FeedRequest's ports and
// TransmitterEal.
// Pure: nothing here touches DPDK, so it is unit-tested without the EAL.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "platform/dpdk/eal_args.hpp"
#include "platform/dpdk/hugepages.hpp"
#include "platform/dpdk/port.hpp"
#include "wire/feed_request.hpp"

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

// gen's EAL side: where the transmitter's EAL runs and how much memory its tx pools take (what
// it sends is wire::FeedRequest). No housekeeping cpu: the EAL's main lcore `cpu` sends.
struct TransmitterEal {
  std::string file_prefix = "tickpath-gen";
  std::string hugepages = "auto";  // auto | required | off
  std::uint32_t mbufs = 8191;      // per port
  std::uint16_t tx_descriptors = 1024;
  int cpu = 0;
  std::vector<std::string> eal_extra;  // after `--`
};

// Empty when usable; else what is wrong, naming the option (--hugepages).
[[nodiscard]] std::string check_transmitter_eal(const TransmitterEal& eal);

// The request's port (and line B's with --lines 2) on the transmitter's cpu and file prefix.
[[nodiscard]] EalSettings eal_settings(const wire::FeedRequest& request, const TransmitterEal& eal);

// The transmitter's --hugepages against what the kernel offers: one tx pool per line, no ring.
// `eal` passed check_transmitter_eal().
[[nodiscard]] HugepageDecision decide_hugepages(const wire::FeedRequest& request, const TransmitterEal& eal,
                                                const HugepageProbe& probe);

// Line `line`'s device (0: --vdev or --pci; 1: --vdev-b or --pci-b): exactly one of the two is set.
[[nodiscard]] const std::string& transmitter_device(const wire::FeedRequest& request, int line);

}  // namespace tickpath::platform
