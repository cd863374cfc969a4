#pragma once
// What a polling thread does when a poll found no work (`cores.idle`). A template parameter of
// the loops in runtime/loops.hpp, chosen once at start-up: never a branch per poll on which
// strategy is in use.
//   spin:    nothing. Lowest wake-up latency; burns the core (isolated hot cores).
//   pause:   one PAUSE: frees pipeline resources for an SMT sibling and saves power in spin-waits.
//   backoff: PAUSE for a while, then yield, then sleep 50 µs: for housekeeping consumers sharing
//            a core with the control plane. Never for hot threads (it makes system calls).
#include <chrono>
#include <cstdint>
#include <string_view>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tickpath::runtime {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

struct SpinIdle {
  static constexpr std::string_view kName = "spin";
  void operator()() noexcept {}
  void reset() noexcept {}
};

struct PauseIdle {
  static constexpr std::string_view kName = "pause";
  void operator()() noexcept { cpu_relax(); }
  void reset() noexcept {}
};

class BackoffIdle {
 public:
  static constexpr std::string_view kName = "backoff";
  void operator()() noexcept {
    ++misses_;
    if (misses_ < kPauseUntil) {
      cpu_relax();
    } else if (misses_ < kYieldUntil) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }
  void reset() noexcept { misses_ = 0; }

 private:
  static constexpr std::uint32_t kPauseUntil = 256;
  static constexpr std::uint32_t kYieldUntil = 512;
  std::uint32_t misses_ = 0;
};

}  // namespace tickpath::runtime
