#include "platform/topology/cpu_choice.hpp"

#include <fmt/format.h>

namespace tickpath::platform {

std::variant<std::vector<int>, std::string> choose_cpus(const std::string& list, const Machine& machine) {
  if (list.empty()) {
    std::vector<int> out;
    for (const Cpu& c : machine.cpus) {
      if (c.allowed) out.push_back(c.os_index);
    }
    if (out.empty()) return std::string("--cores: no cpu is in this process's affinity mask");
    return out;
  }
  auto parsed = parse_cpu_list(list);
  if (!parsed || parsed->empty()) return fmt::format("--cores '{}': expected a cpu list such as 0-3,8", list);
  for (int cpu : *parsed) {
    const Cpu* c = machine.find(cpu);
    if (c == nullptr) return fmt::format("--cores: cpu {} does not exist on this machine", cpu);
    if (!c->allowed) return fmt::format("--cores: cpu {} is outside this process's affinity mask (taskset/cgroup)", cpu);
  }
  return *parsed;
}

}  // namespace tickpath::platform
