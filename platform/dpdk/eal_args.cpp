#include "platform/dpdk/eal_args.hpp"

namespace tickpath::platform {

std::vector<std::string> build_eal_args(const EalSettings& s, const HugepageDecision& hugepages) {
  std::vector<std::string> args{"tickpath"};
  // The EAL owns one lcore, the housekeeping cpu; the hot threads are ours, pinned by the core
  // plan, so the EAL never spins a worker lcore of its own.
  args.push_back("-l");
  args.push_back(std::to_string(s.main_cpu));
  args.push_back("--file-prefix=" + s.file_prefix);
  // INFO-level EAL chatter would bury the core plan; errors and notices still come through.
  args.push_back("--log-level=lib.eal:notice");
  if (hugepages.use_hugepages) {
    // Each hugepage file is unlinked as soon as it is mapped: the memory goes back to the pool
    // when the process ends, however it ends, and no <prefix>map_N file is left in the mount
    // (without it, pages the EAL still held at rte_eal_cleanup stayed there as files). The cost,
    // no DPDK secondary process can attach, is already paid (Eal::register_thread).
    args.push_back("--huge-unlink");
  } else {
    // Not combined with --in-memory (PLATFORM-NOTES: the EAL refuses the pair).
    args.push_back("--no-huge");
    args.push_back("-m");
    args.push_back(std::to_string(hugepages.no_huge_memory_mb));
  }
  if (!s.vdev.empty()) {
    args.push_back("--no-pci");  // a virtual device run never probes (or steals) real NICs
    args.push_back("--vdev=" + s.vdev);
  } else {
    args.push_back("-a");
    args.push_back(s.pci);
  }
  if (!s.vdev_b.empty()) args.push_back("--vdev=" + s.vdev_b);
  if (!s.pci_b.empty()) args.insert(args.end(), {"-a", s.pci_b});
  args.insert(args.end(), s.config_args.begin(), s.config_args.end());
  args.insert(args.end(), s.extra_args.begin(), s.extra_args.end());
  return args;
}

}  // namespace tickpath::platform
