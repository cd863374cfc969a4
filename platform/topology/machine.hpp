#pragma once
// The machine as the core plan needs it: cpus with their core, package, NUMA node and SMT
// siblings (hwloc), the kernel's isolated and nohz_full cpus (sysfs), and this process's affinity.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickpath::platform {

struct Cpu {
  int os_index = 0;
  int core = -1;       // hwloc logical core index
  int package = -1;
  int numa_node = -1;  // os index of the node, -1 when unknown
  std::vector<int> smt_siblings;  // other cpus of the same core
  bool isolated = false;   // isolcpus= (or cpuset isolation the kernel reports)
  bool nohz_full = false;  // nohz_full=: no scheduler tick while one task runs
  bool allowed = false;    // in this process's affinity mask
};

struct Machine {
  std::vector<Cpu> cpus;
  int numa_nodes = 1;
  std::vector<int> isolated;
  std::vector<int> nohz_full;
  std::string hwloc_version;

  [[nodiscard]] const Cpu* find(int os_index) const noexcept;
};

// "0-3,8,10-11" -> {0,1,2,3,8,10,11}; "" or "\n" -> {}; garbage -> nullopt.
[[nodiscard]] std::optional<std::vector<int>> parse_cpu_list(std::string_view text);

// `sysfs_root` is "/sys" except in tests.
[[nodiscard]] Machine discover_machine(const std::string& sysfs_root = "/sys");

// The NUMA node of a PCI device (e.g. "0000:3b:00.0"), -1 when unknown.
[[nodiscard]] int pci_numa_node(const std::string& pci_address, const std::string& sysfs_root = "/sys");

}  // namespace tickpath::platform
