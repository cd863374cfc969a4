#pragma once
// Shared by the benchmark files: ring storage, CPU placement of benchmark threads, the TSC
// calibration, and a start/stop handshake for helper threads. Benchmark-only code: it may
// allocate and make syscalls, but never inside a timed loop.
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/bus/broadcast_ring.hpp"
#include "core/time/calibration.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace tickpath::bench {

// Ring capacity used by every ring benchmark (tickpath and rte_ring alike).
inline constexpr std::size_t kRingCapacity = 4096;

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

// A BroadcastRing together with the slot storage it needs (the appliance owns hugepage memory;
// benchmarks own a vector).
template <core::RingElement T>
struct RingHarness {
  explicit RingHarness(std::size_t capacity) : storage(capacity), ring(std::span(storage)) {}
  RingHarness(const RingHarness&) = delete;
  RingHarness& operator=(const RingHarness&) = delete;

  std::vector<core::RingSlot<T>> storage;
  core::BroadcastRing<T> ring;
};

// The calibration is measured once per process (100 ms), the first time a benchmark needs it.
inline const core::TscCalibration& calibration() {
  static const core::TscCalibration cal = core::TscCalibration::measure(std::chrono::milliseconds(100));
  return cal;
}

// The CPUs this process may run on, in order.
inline std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c) {
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  }
  return cpus;
}

inline void pin_current_thread(int cpu) noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  (void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

// Thread placement for one benchmark run: the benchmark's own thread (the producer) gets the
// first allowed CPU to itself; helper threads (consumers, echo) are spread round-robin over the
// remaining ones. With a single allowed CPU nothing is pinned. The benchmark thread's original
// affinity is restored when the plan goes out of scope, so later benchmarks start unpinned.
class CpuPlan {
 public:
  CpuPlan() : cpus_(allowed_cpus()) {
    CPU_ZERO(&saved_);
    saved_ok_ = pthread_getaffinity_np(pthread_self(), sizeof(saved_), &saved_) == 0;
    if (cpus_.size() >= 2) pin_current_thread(cpus_[0]);
  }
  ~CpuPlan() {
    if (saved_ok_) (void)pthread_setaffinity_np(pthread_self(), sizeof(saved_), &saved_);
  }
  CpuPlan(const CpuPlan&) = delete;
  CpuPlan& operator=(const CpuPlan&) = delete;

  // Call from helper thread `index` (0-based) as its first action.
  void pin_helper(std::size_t index) const noexcept {
    if (cpus_.size() < 2) return;
    pin_current_thread(cpus_[1 + index % (cpus_.size() - 1)]);
  }

  // CPUs the helpers share (0 when nothing is pinned).
  [[nodiscard]] std::size_t helper_cpus() const noexcept {
    return cpus_.size() < 2 ? 0 : cpus_.size() - 1;
  }

 private:
  std::vector<int> cpus_;
  cpu_set_t saved_;
  bool saved_ok_ = false;
};

// Start/stop handshake between the benchmark thread and its helpers: helpers report ready once
// set up; the benchmark thread starts timing only after all are ready and stops them after the
// timed loop.
class Crew {
 public:
  void ready() noexcept { ready_.fetch_add(1, std::memory_order_release); }
  void wait_ready(int helpers) const noexcept {
    while (ready_.load(std::memory_order_acquire) < helpers) cpu_relax();
  }
  void stop() noexcept { stop_.store(true, std::memory_order_release); }
  [[nodiscard]] bool stopping() const noexcept { return stop_.load(std::memory_order_acquire); }

 private:
  alignas(core::kFalseSharingRange) std::atomic<int> ready_{0};
  alignas(core::kFalseSharingRange) std::atomic<bool> stop_{false};
};

}  // namespace tickpath::bench
