#include "platform/topology/thread.hpp"

#include <pthread.h>
#include <sched.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace tickpath::platform {

std::optional<std::string> pin_current_thread(int cpu) {
  // Sized for the cpu (a fixed cpu_set_t stops at 1024); the kernel rejects cpus that do not
  // exist or are outside our cgroup with EINVAL.
  if (cpu < 0 || cpu > 65535) return fmt::format("pinning to cpu {} failed: no such cpu", cpu);
  cpu_set_t* set = CPU_ALLOC(cpu + 1);
  if (set == nullptr) return fmt::format("pinning to cpu {} failed: out of memory", cpu);
  const std::size_t bytes = CPU_ALLOC_SIZE(cpu + 1);
  CPU_ZERO_S(bytes, set);
  CPU_SET_S(static_cast<std::size_t>(cpu), bytes, set);
  const int rc = pthread_setaffinity_np(pthread_self(), bytes, set);
  CPU_FREE(set);
  if (rc == EINVAL) return fmt::format("pinning to cpu {} failed: no such cpu, or not in this process's cpuset", cpu);
  if (rc != 0) return fmt::format("pinning to cpu {} failed: {}", cpu, std::strerror(rc));
  return std::nullopt;
}

void name_current_thread(std::string_view name) {
  char buf[16] = {};
  std::memcpy(buf, name.data(), name.size() < 15 ? name.size() : 15);
  pthread_setname_np(pthread_self(), buf);
}

}  // namespace tickpath::platform
