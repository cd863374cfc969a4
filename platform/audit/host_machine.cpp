#include "platform/audit/host_machine.hpp"

#include <algorithm>
#include <map>

namespace tickpath::platform::audit {
namespace {

std::vector<int> cpu_list(const HostFs& fs, const std::string& path) {
  auto text = fs.read(path);
  return text ? parse_cpu_list(*text).value_or(std::vector<int>{}) : std::vector<int>{};
}

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

Machine machine_from_sysfs(const HostFs& fs) {
  Machine m;
  m.hwloc_version = "none (sysfs under " + fs.root() + ")";
  m.isolated = cpu_list(fs, "/sys/devices/system/cpu/isolated");
  m.nohz_full = cpu_list(fs, "/sys/devices/system/cpu/nohz_full");

  std::map<int, int> node_of;
  int nodes = 0;
  for (const std::string& entry : fs.list("/sys/devices/system/node")) {
    if (entry.rfind("node", 0) != 0) continue;
    const auto node = parse_int(std::string_view(entry).substr(4));
    if (!node) continue;
    ++nodes;
    for (int cpu : cpu_list(fs, "/sys/devices/system/node/" + entry + "/cpulist")) node_of[cpu] = static_cast<int>(*node);
  }
  m.numa_nodes = std::max(1, nodes);

  std::vector<int> present = cpu_list(fs, "/sys/devices/system/cpu/present");
  if (present.empty()) {
    for (const std::string& entry : fs.list("/sys/devices/system/cpu")) {
      if (entry.rfind("cpu", 0) != 0) continue;
      if (auto n = parse_int(std::string_view(entry).substr(3))) present.push_back(static_cast<int>(*n));
    }
    std::sort(present.begin(), present.end());
  }
  for (int id : present) {
    const std::string topo = "/sys/devices/system/cpu/cpu" + std::to_string(id) + "/topology/";
    Cpu c;
    c.os_index = id;
    c.core = static_cast<int>(fs.read_int(topo + "core_id").value_or(-1));
    c.package = static_cast<int>(fs.read_int(topo + "physical_package_id").value_or(-1));
    auto node = node_of.find(id);
    c.numa_node = node != node_of.end() ? node->second : (nodes <= 1 ? 0 : -1);
    for (int s : cpu_list(fs, topo + "thread_siblings_list")) {
      if (s != id) c.smt_siblings.push_back(s);
    }
    c.isolated = contains(m.isolated, id);
    c.nohz_full = contains(m.nohz_full, id);
    c.allowed = true;
    m.cpus.push_back(std::move(c));
  }
  return m;
}

Machine audit_machine(const HostFs& fs) {
  return fs.is_live() ? discover_machine("/sys") : machine_from_sysfs(fs);
}

}  // namespace tickpath::platform::audit
