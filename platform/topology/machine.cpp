#include "platform/topology/machine.hpp"

#include <hwloc.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace tickpath::platform {
namespace {

// Linux's NR_CPUS tops out at 8192; a bigger number in a cpu list is garbage, and refusing it
// keeps "0-2000000000" from expanding into gigabytes.
constexpr int kMaxCpu = 65535;

// This process's affinity mask, sized for any cpu hwloc may report (a fixed cpu_set_t holds
// 1024 cpus and sched_getaffinity fails with EINVAL when the kernel's mask is wider).
class AffinityMask {
 public:
  explicit AffinityMask(int max_cpu) : cpus_(std::max(max_cpu + 1, CPU_SETSIZE)) {
    set_ = CPU_ALLOC(cpus_);
    bytes_ = CPU_ALLOC_SIZE(cpus_);
    if (set_ != nullptr) {
      CPU_ZERO_S(bytes_, set_);
      ok_ = sched_getaffinity(0, bytes_, set_) == 0;
    }
  }
  ~AffinityMask() {
    if (set_ != nullptr) CPU_FREE(set_);
  }
  AffinityMask(const AffinityMask&) = delete;
  AffinityMask& operator=(const AffinityMask&) = delete;

  // Unknown mask: every cpu counts as allowed, so the plan still runs (pinning reports errors).
  [[nodiscard]] bool allows(int cpu) const noexcept {
    if (!ok_) return true;
    return cpu >= 0 && cpu < cpus_ && CPU_ISSET_S(static_cast<std::size_t>(cpu), bytes_, set_) != 0;
  }

 private:
  int cpus_;
  cpu_set_t* set_ = nullptr;
  std::size_t bytes_ = 0;
  bool ok_ = false;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<int> read_cpu_list(const std::string& path) {
  return parse_cpu_list(read_file(path)).value_or(std::vector<int>{});
}

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

int ancestor_index(hwloc_topology_t topo, hwloc_obj_t pu, hwloc_obj_type_t type) {
  hwloc_obj_t o = hwloc_get_ancestor_obj_by_type(topo, type, pu);
  return o == nullptr ? -1 : static_cast<int>(o->logical_index);
}

int numa_of(hwloc_topology_t topo, hwloc_obj_t pu) {
  // hwloc 2: NUMA nodes are memory children; the PU's nodeset names the nodes local to it.
  const int n = hwloc_bitmap_first(pu->nodeset);
  return n < 0 ? (hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE) > 0 ? 0 : -1) : n;
}

}  // namespace

const Cpu* Machine::find(int os_index) const noexcept {
  for (const Cpu& c : cpus) {
    if (c.os_index == os_index) return &c;
  }
  return nullptr;
}

std::optional<std::vector<int>> parse_cpu_list(std::string_view text) {
  std::vector<int> out;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.empty()) return out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const std::size_t comma = std::min(text.find(',', at), text.size());
    const std::string_view item = text.substr(at, comma - at);
    const std::size_t dash = item.find('-');
    int lo = 0, hi = 0;
    auto parse = [](std::string_view s, int& v) {
      const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
      return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty() && v >= 0 && v <= kMaxCpu;
    };
    if (dash == std::string_view::npos) {
      if (!parse(item, lo)) return std::nullopt;
      hi = lo;
    } else if (!parse(item.substr(0, dash), lo) || !parse(item.substr(dash + 1), hi) || hi < lo) {
      return std::nullopt;
    }
    for (int c = lo; c <= hi; ++c) out.push_back(c);
    at = comma + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Machine discover_machine(const std::string& sysfs_root) {
  Machine m;
  m.isolated = read_cpu_list(sysfs_root + "/devices/system/cpu/isolated");
  m.nohz_full = read_cpu_list(sysfs_root + "/devices/system/cpu/nohz_full");
  m.hwloc_version = HWLOC_VERSION;
  auto finish = [&m](Cpu c, const AffinityMask& mask) {
    c.isolated = contains(m.isolated, c.os_index);
    c.nohz_full = contains(m.nohz_full, c.os_index);
    c.allowed = mask.allows(c.os_index);
    m.cpus.push_back(std::move(c));
  };

  // Without a topology the cpus are still listed, layout unknown (-1), so the plan can run.
  auto without_topology = [&m, &finish] {
    const long configured = sysconf(_SC_NPROCESSORS_CONF);
    const int n = static_cast<int>(std::clamp(configured, 1L, static_cast<long>(kMaxCpu) + 1));
    const AffinityMask mask(n - 1);
    for (int i = 0; i < n; ++i) {
      Cpu c;
      c.os_index = i;
      finish(std::move(c), mask);
    }
    m.hwloc_version += " (topology unavailable)";
    return m;
  };

  hwloc_topology_t topo;
  if (hwloc_topology_init(&topo) != 0) return without_topology();
  // Include cpus outside our cgroup/affinity too: the plan must be able to say why it did not
  // use them.
  hwloc_topology_set_flags(topo, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
  if (hwloc_topology_load(topo) != 0) {
    hwloc_topology_destroy(topo);
    return without_topology();
  }
  m.numa_nodes = std::max(1, hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE));
  const AffinityMask mask(hwloc_bitmap_last(hwloc_topology_get_complete_cpuset(topo)));
  const int pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
  for (int i = 0; i < pus; ++i) {
    hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, static_cast<unsigned>(i));
    Cpu c;
    c.os_index = static_cast<int>(pu->os_index);
    c.core = ancestor_index(topo, pu, HWLOC_OBJ_CORE);
    c.package = ancestor_index(topo, pu, HWLOC_OBJ_PACKAGE);
    c.numa_node = numa_of(topo, pu);
    if (hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu)) {
      for (unsigned k = 0; k < core->arity; ++k) {
        if (core->children[k]->type == HWLOC_OBJ_PU && core->children[k] != pu) {
          c.smt_siblings.push_back(static_cast<int>(core->children[k]->os_index));
        }
      }
    }
    finish(std::move(c), mask);
  }
  hwloc_topology_destroy(topo);
  std::sort(m.cpus.begin(), m.cpus.end(), [](const Cpu& a, const Cpu& b) { return a.os_index < b.os_index; });
  return m;
}

int pci_numa_node(const std::string& pci_address, const std::string& sysfs_root) {
  std::ifstream in(sysfs_root + "/bus/pci/devices/" + pci_address + "/numa_node");
  int node = -1;
  if (!(in >> node)) return -1;
  return node;
}

}  // namespace tickpath::platform
