#include "platform/dpdk/eal.hpp"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

namespace tickpath::platform {
namespace {
std::atomic<bool> g_started{false};

// Where DPDK 22.11 puts its control threads. It has no --control-cpus option: rte_eal_init
// computes the "control cpuset" once, as the calling thread's affinity minus every lcore's cpu,
// falling back to the main lcore's cpus when nothing is left (eal_common_options.c,
// compute_ctrl_threads_cpuset), and every rte_ctrl_thread_create uses it: the interrupt thread,
// the multi-process handler, telemetry, and any created later (alarms, hotplug). Started with
// affinity {0,1} and `-l 0`, that set is {1}: the hot cpu. Narrowing the calling thread to the
// housekeeping cpus first makes the set exactly those cpus, applied by the EAL itself at every
// creation. Re-pinning after init by walking /proc/self/task was the alternative: it races with
// threads the EAL creates later and has to guess threads by name, so it is not done.
std::string narrow_to_control_cpus(const std::vector<int>& cpus) {
  if (cpus.empty()) return {};
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(static_cast<unsigned>(cpu), &set);
  if (int e = pthread_setaffinity_np(pthread_self(), sizeof(set), &set); e != 0) {
    return fmt::format("cannot run DPDK's control threads on cpu(s) {}: pthread_setaffinity_np: {}",
                       fmt::join(cpus, ","), std::strerror(e));
  }
  return {};
}
}  // namespace

std::variant<std::unique_ptr<Eal>, std::string> Eal::start(const std::vector<std::string>& args,
                                                           const std::vector<int>& control_cpus) {
  if (g_started.exchange(true)) return std::string("the EAL was already started in this process");
  if (std::string error = narrow_to_control_cpus(control_cpus); !error.empty()) return error;
  std::unique_ptr<Eal> eal(new Eal(args));
  // rte_eal_init may permute argv; it gets its own mutable copies, which live as long as eal.
  std::vector<char*> argv;
  for (std::string& a : eal->argv_storage_) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (rte_eal_init(static_cast<int>(argv.size() - 1), argv.data()) < 0) {
    return fmt::format("DPDK EAL initialisation failed: {} (EAL arguments: {})",
                       rte_strerror(rte_errno), fmt::join(args, " "));
  }
  return eal;
}

Eal::~Eal() { rte_eal_cleanup(); }

std::string Eal::register_thread() {
  if (rte_thread_register() != 0) return fmt::format("rte_thread_register failed: {}", rte_strerror(rte_errno));
  return {};
}

bool Eal::has_hugepages() const noexcept { return rte_eal_has_hugepages() != 0; }

}  // namespace tickpath::platform
