#include "platform/topology/format.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tickpath::platform {

std::string format_machine(const Machine& m) {
  std::string out = fmt::format("machine: {} cpus, {} NUMA node(s), hwloc {}\n", m.cpus.size(), m.numa_nodes, m.hwloc_version);
  out += fmt::format("isolated: [{}]  nohz_full: [{}]\n", fmt::join(m.isolated, ","), fmt::join(m.nohz_full, ","));
  out += fmt::format("{:>5} {:>5} {:>8} {:>5} {:>12} {:>9} {:>10} {:>8}\n", "cpu", "core", "package", "numa",
                     "smt", "isolated", "nohz_full", "allowed");
  for (const Cpu& c : m.cpus) {
    out += fmt::format("{:>5} {:>5} {:>8} {:>5} {:>12} {:>9} {:>10} {:>8}\n", c.os_index, c.core, c.package,
                       c.numa_node, c.smt_siblings.empty() ? "-" : fmt::format("{}", fmt::join(c.smt_siblings, ",")),
                       c.isolated ? "yes" : "no", c.nohz_full ? "yes" : "no", c.allowed ? "yes" : "no");
  }
  return out;
}

std::string format_plan(const CorePlan& p) {
  std::string out = "core plan:\n";
  out += fmt::format("  ingest       cpu {}{}\n", p.ingest_cpu, p.hot_shared ? "  (thread tp-pmd-hot)" : "  (thread tp-pmd-ingest)");
  out += fmt::format("  execution    cpu {}{}\n", p.execution_cpu, p.hot_shared ? "  (same thread)" : "  (thread tp-pmd-exec)");
  out += fmt::format("  analytics    cpu {}  (thread tp-analytics)\n", p.housekeeping_cpu);
  out += fmt::format("  control      cpu {}  (main thread, EAL main lcore)\n", p.housekeeping_cpu);
  for (const std::string& r : p.reasons) out += "  - " + r + "\n";
  for (const std::string& w : p.warnings) out += "  ! " + w + "\n";
  return out;
}

nlohmann::json to_json(const Machine& m) {
  nlohmann::json cpus = nlohmann::json::array();
  for (const Cpu& c : m.cpus) {
    cpus.push_back({{"cpu", c.os_index}, {"core", c.core}, {"package", c.package}, {"numa_node", c.numa_node},
                    {"smt_siblings", c.smt_siblings}, {"isolated", c.isolated}, {"nohz_full", c.nohz_full},
                    {"allowed", c.allowed}});
  }
  return {{"cpus", cpus}, {"numa_nodes", m.numa_nodes}, {"isolated", m.isolated}, {"nohz_full", m.nohz_full},
          {"hwloc", m.hwloc_version}};
}

nlohmann::json to_json(const CorePlan& p) {
  return {{"cores", {{"ingest", p.ingest_cpu}, {"execution", p.execution_cpu}, {"housekeeping", p.housekeeping_cpu}}},
          {"hot_shared", p.hot_shared},
          {"housekeeping_shared_with_hot", p.housekeeping_shared_with_hot},
          {"reasons", p.reasons},
          {"warnings", p.warnings}};
}

}  // namespace tickpath::platform
