#include "platform/topology/core_plan.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tickpath::platform {
namespace {

std::string cpu_list(const Machine& m) {
  std::vector<int> ids;
  for (const Cpu& c : m.cpus) ids.push_back(c.os_index);
  return fmt::format("{}", fmt::join(ids, ","));
}

std::string check_explicit(const Machine& m, const char* key, int cpu) {
  if (cpu < 0) return {};
  const Cpu* c = m.find(cpu);
  if (c == nullptr) return fmt::format("{} = {}: no such cpu (this machine has cpus {})", key, cpu, cpu_list(m));
  if (!c->allowed) return fmt::format("{} = {}: cpu {} is not in this process's affinity mask (taskset/cgroup)", key, cpu, cpu);
  return {};
}

std::string describe(const Cpu& c, int nic_node) {
  std::string d = c.isolated ? "isolated" : "not isolated";
  if (c.nohz_full) d += ", nohz_full";
  if (nic_node >= 0) {
    d += c.numa_node == nic_node ? fmt::format(", NUMA node {} = the NIC's", c.numa_node)
                                 : fmt::format(", NUMA node {} but the NIC is on {}", c.numa_node, nic_node);
  } else {
    d += fmt::format(", NUMA node {} (NIC node unknown: virtual device)", c.numa_node);
  }
  return d;
}

bool is_sibling(const Cpu& c, const Cpu* other) {
  return other != nullptr &&
         std::find(other->smt_siblings.begin(), other->smt_siblings.end(), c.os_index) != other->smt_siblings.end();
}

// Lower is better: isolated (scheduler noise costs microseconds), local to the NIC (every event
// would cross the interconnect), not an SMT sibling of the other hot role (two spinning loops
// would split one core's pipeline), not cpu 0 (interrupts and kernel threads land there by
// default), then the lowest index for a stable plan. Isolation outranks sibling avoidance so that
// an isolated sibling pair still satisfies cores.require_isolated.
auto hot_score(const Cpu& c, int nic_node, const Cpu* other) {
  return std::make_tuple(c.isolated ? 0 : 1, nic_node < 0 || c.numa_node == nic_node ? 0 : 1,
                         is_sibling(c, other) ? 1 : 0, c.os_index == 0 ? 1 : 0, c.os_index);
}

// The best allowed cpu not in `excluded`, nullptr when there is none.
const Cpu* best_hot(const Machine& m, int nic_node, const std::vector<int>& excluded, const Cpu* other) {
  const Cpu* best = nullptr;
  for (const Cpu& c : m.cpus) {
    if (!c.allowed || std::find(excluded.begin(), excluded.end(), c.os_index) != excluded.end()) continue;
    if (best == nullptr || hot_score(c, nic_node, other) < hot_score(*best, nic_node, other)) best = &c;
  }
  return best;
}

// The best hot cpu for one role, given `other` (the other hot role's cpu, if placed): not
// `excluded` (housekeeping) and not `other`; failing that, share `other`'s cpu; only as the last
// resort an excluded cpu.
const Cpu* best_hot_apart(const Machine& m, int nic_node, std::vector<int> excluded, const Cpu* other) {
  if (other != nullptr) excluded.push_back(other->os_index);
  if (const Cpu* c = best_hot(m, nic_node, excluded, other)) return c;
  if (other != nullptr && other->allowed) return other;
  return best_hot(m, nic_node, {}, other);
}

}  // namespace

PlanResult plan_cores(const Machine& m, const CoreRequest& r) {
  for (auto [key, cpu] : {std::pair{"cores.ingest", r.ingest}, std::pair{"cores.execution", r.execution},
                          std::pair{"cores.housekeeping", r.housekeeping}}) {
    if (std::string e = check_explicit(m, key, cpu); !e.empty()) return e;
  }
  std::vector<const Cpu*> allowed;
  for (const Cpu& c : m.cpus) {
    if (c.allowed) allowed.push_back(&c);
  }
  if (allowed.empty()) return std::string("no usable cpu: the affinity mask is empty");

  CorePlan plan;
  const int nic = r.nic_numa_node;

  // Housekeeping: a non-isolated cpu, lowest index (isolated cpus are for hot loops).
  if (r.housekeeping >= 0) {
    plan.housekeeping_cpu = r.housekeeping;
    plan.reasons.push_back(fmt::format("housekeeping -> cpu {}: cores.housekeeping", r.housekeeping));
  } else {
    const Cpu* hk = nullptr;
    for (const Cpu* c : allowed) {
      if (c->os_index == r.ingest || c->os_index == r.execution) continue;
      if (hk == nullptr || std::make_tuple(c->isolated, c->os_index) < std::make_tuple(hk->isolated, hk->os_index)) hk = c;
    }
    if (hk == nullptr) hk = allowed.front();
    plan.housekeeping_cpu = hk->os_index;
    plan.reasons.push_back(fmt::format("housekeeping -> cpu {}: {}; runs analytics, control and the EAL main lcore",
                                       hk->os_index, hk->isolated ? "isolated (no other cpu free)" : "not isolated"));
  }

  // Ingest, then execution: never the housekeeping cpu, never the other hot role's cpu or its SMT
  // sibling, when the machine allows it. An explicit execution cpu counts as taken before ingest
  // is chosen.
  const std::vector<int> excluded{plan.housekeeping_cpu};
  if (r.ingest >= 0) {
    plan.ingest_cpu = r.ingest;
    plan.reasons.push_back(fmt::format("ingest -> cpu {}: cores.ingest; {}", r.ingest, describe(*m.find(r.ingest), nic)));
  } else {
    const Cpu* c = best_hot_apart(m, nic, excluded, r.execution >= 0 ? m.find(r.execution) : nullptr);
    plan.ingest_cpu = c->os_index;
    plan.reasons.push_back(fmt::format("ingest -> cpu {}: {}", c->os_index, describe(*c, nic)));
  }
  if (r.execution >= 0) {
    plan.execution_cpu = r.execution;
    plan.reasons.push_back(fmt::format("execution -> cpu {}: cores.execution; {}", r.execution, describe(*m.find(r.execution), nic)));
  } else {
    const Cpu* c = best_hot_apart(m, nic, excluded, m.find(plan.ingest_cpu));
    plan.execution_cpu = c->os_index;
    plan.reasons.push_back(fmt::format("execution -> cpu {}: {}", c->os_index, describe(*c, nic)));
  }
  if (const Cpu* ingest = m.find(plan.ingest_cpu);
      std::find(ingest->smt_siblings.begin(), ingest->smt_siblings.end(), plan.execution_cpu) != ingest->smt_siblings.end()) {
    plan.warnings.push_back(fmt::format("execution on cpu {} is an SMT sibling of ingest's cpu {}: they share a core's pipeline",
                                        plan.execution_cpu, plan.ingest_cpu));
  }

  plan.hot_shared = plan.ingest_cpu == plan.execution_cpu;
  if (plan.hot_shared) {
    const std::string why = r.ingest >= 0 && r.execution >= 0
                                ? std::string("cores.ingest = cores.execution")
                                : fmt::format("only {} usable cpu(s)", allowed.size());
    plan.reasons.push_back(
        fmt::format("ingest and execution share cpu {}: {}; one thread runs both poll loops", plan.ingest_cpu, why));
    plan.warnings.push_back("hot roles share a cpu: ingest-to-ack latency includes the other loop's work");
  }
  plan.housekeeping_shared_with_hot = plan.housekeeping_cpu == plan.ingest_cpu || plan.housekeeping_cpu == plan.execution_cpu;
  if (plan.housekeeping_shared_with_hot) {
    plan.warnings.push_back(fmt::format("housekeeping shares cpu {} with a hot loop: analytics and control steal its cycles",
                                        plan.housekeeping_cpu));
  }

  for (auto [role, cpu] : {std::pair{"ingest", plan.ingest_cpu}, std::pair{"execution", plan.execution_cpu}}) {
    const Cpu* c = m.find(cpu);
    if (c->isolated) continue;
    if (r.require_isolated) {
      return fmt::format(
          "cores.require_isolated = true but the {} cpu {} is not isolated (isolated cpus: [{}]); boot with "
          "isolcpus={} nohz_full={} rcu_nocbs={} or set cores.require_isolated = false",
          role, cpu, fmt::join(m.isolated, ","), cpu, cpu, cpu);
    }
    plan.warnings.push_back(fmt::format("{} cpu {} is not isolated: the scheduler may run other tasks there", role, cpu));
  }
  if (nic >= 0) {
    for (auto [role, cpu] : {std::pair{"ingest", plan.ingest_cpu}, std::pair{"execution", plan.execution_cpu}}) {
      if (m.find(cpu)->numa_node != nic) {
        plan.warnings.push_back(fmt::format("{} cpu {} is remote to the NIC's NUMA node {}", role, cpu, nic));
      }
    }
  }
  return plan;
}

}  // namespace tickpath::platform
