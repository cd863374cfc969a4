#include "platform/topology/thread.hpp"

#include <pthread.h>
#include <sched.h>

#include <cstring>

#include <fmt/format.h>

namespace tickpath::platform {

std::optional<std::string> pin_current_thread(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return fmt::format("cpu {} is out of range", cpu);
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (int rc = pthread_setaffinity_np(pthread_self(), sizeof set, &set); rc != 0) {
    return fmt::format("pinning to cpu {} failed: {}", cpu, std::strerror(rc));
  }
  return std::nullopt;
}

void name_current_thread(std::string_view name) {
  char buf[16] = {};
  std::memcpy(buf, name.data(), name.size() < 15 ? name.size() : 15);
  pthread_setname_np(pthread_self(), buf);
}

}  // namespace tickpath::platform
