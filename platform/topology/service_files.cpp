#include "platform/topology/service_files.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace tickpath::platform {

std::vector<int> hot_cpus(const CorePlan& plan) {
  std::vector<int> cpus{plan.ingest_cpu, plan.execution_cpu};
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  return cpus;
}

std::vector<int> housekeeping_cpus(const Machine& machine, const CorePlan& plan) {
  const std::vector<int> hot = hot_cpus(plan);
  std::vector<int> out;
  for (const Cpu& c : machine.cpus) {
    if (!std::binary_search(hot.begin(), hot.end(), c.os_index)) out.push_back(c.os_index);
  }
  if (out.empty()) out.push_back(plan.housekeeping_cpu);
  std::sort(out.begin(), out.end());
  return out;
}

std::string format_cpu_ranges(std::vector<int> cpus) {
  std::sort(cpus.begin(), cpus.end());
  cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
  std::string out;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? fmt::format("{}", cpus[i]) : fmt::format("{}-{}", cpus[i], cpus[j]);
    i = j + 1;
  }
  return out;
}

std::string systemd_affinity_dropin(const Machine& machine, const CorePlan& plan) {
  const std::vector<int> hot = hot_cpus(plan);
  const std::vector<int> housekeeping = housekeeping_cpus(machine, plan);
  const bool shared = std::any_of(housekeeping.begin(), housekeeping.end(),
                                  [&](int c) { return std::binary_search(hot.begin(), hot.end(), c); });
  return fmt::format(
      "# Written by `tickpath topology --systemd` from this machine's core plan.\n"
      "# Install as /etc/systemd/system/tickpath.service.d/cpu-affinity.conf, then\n"
      "# `systemctl daemon-reload`. The process starts on the housekeeping cpus ({0}); the hot\n"
      "# threads (tp-pmd-*) then pin themselves onto {1}.\n"
      "{2}"
      "[Service]\n"
      "CPUAffinity={0}\n",
      format_cpu_ranges(housekeeping), format_cpu_ranges(hot),
      shared ? "# Warning: too few cpus: the housekeeping cpu is also a hot one.\n" : "");
}

std::string tuned_profile(const CorePlan& plan) {
  const std::string hot = format_cpu_ranges(hot_cpus(plan));
  return fmt::format(
      "# Written by `tickpath topology --tuned` from this machine's core plan.\n"
      "# Install as /etc/tuned/{0}/tuned.conf, then `tuned-adm profile {0}` and reboot\n"
      "# (isolcpus/nohz_full are kernel command-line parameters). tuned's cpu-partitioning re-pins\n"
      "# threads off the isolated cpus unless their name matches .*pmd.*: tickpath's hot threads\n"
      "# are named tp-pmd-ingest, tp-pmd-exec (tp-pmd-hot when they share a cpu).\n"
      "[main]\n"
      "summary=tickpath: cpu-partitioning with the hot cpus of its core plan ({1})\n"
      "include=cpu-partitioning\n"
      "\n"
      "[variables]\n"
      "isolated_cores={1}\n"
      "no_balance_cores={1}\n",
      kTunedProfileName, hot);
}

}  // namespace tickpath::platform
