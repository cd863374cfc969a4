#pragma once
// EAL arguments from the config, built as plain strings before the EAL starts (so they can be
// printed, tested and rejected without touching DPDK).
#include <string>
#include <vector>

#include "platform/dpdk/hugepages.hpp"

namespace tickpath::platform {

struct EalSettings {
  std::string file_prefix = "tickpath";
  std::vector<std::string> config_args;  // eal.args
  std::vector<std::string> extra_args;   // after `--` on the command line, appended last
  int main_cpu = 0;                      // the housekeeping cpu: the EAL's main lcore
  std::string vdev;                      // port.vdev, empty with a PCI port
  std::string pci;                       // port.pci, empty with a vdev
  // A second port probed beside the first (ingest.lines.b, gen --vdev-b / --pci-b); of the same
  // kind as the first: the EAL either probes PCI or not.
  std::string vdev_b;
  std::string pci_b;
};

// Order: program name, lcore/main lcore, file prefix, memory, device(s), config args, extra args.
// Later arguments win in the EAL's parser, so the operator's `-- ...` can override ours.
[[nodiscard]] std::vector<std::string> build_eal_args(const EalSettings& settings,
                                                      const HugepageDecision& hugepages);

}  // namespace tickpath::platform
