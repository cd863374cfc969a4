// The positive control of check_symbols.py: one call of each forbidden kind. The checker must
// reject this object, or it cannot be trusted to accept the hot loop's.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "core/execution/executor.hpp"

namespace tickpath::probe {

std::mutex g_mutex;

int violate_everything(int n) {
  void* p = std::malloc(static_cast<std::size_t>(n));  // allocation
  auto* q = new int(n);                                 // allocation
  std::lock_guard lock(g_mutex);                        // locking
  std::printf("%d\n", n);                               // logging
  const auto w = write(1, p, 0);                        // I/O, a system call
  delete q;
  std::free(p);
  return static_cast<int>(w);
}

// What the rule forbids for observability: a sink that asks "am I on?" per event. The executor
// instantiated with it must show a conditional branch (check_branches.py --expect-branches).
struct FlagSink {
  bool enabled = false;
  std::uint64_t seen = 0;
  void observe(const core::Event&, const core::Ack&) noexcept {
    if (enabled) ++seen;
  }
};

core::Ack probe_execute_flag_sink(core::Executor<FlagSink>& executor, const core::Event& event,
                                  core::Ticks poll_tsc) noexcept {
  return executor.execute(event, poll_tsc);
}

}  // namespace tickpath::probe
