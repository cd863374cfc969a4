#pragma once
// Raw timestamps for the hot path: ticks only, never converted per event (the control plane
// converts with a TscCalibration).
//
// Ordering choice: a plain RDTSC, no LFENCE and not RDTSCP.
//   - RDTSC is not serialising: it may execute a few dozen cycles before or after its neighbours.
//     Every stamp on our path is taken at a boundary that already orders it (the rx burst has
//     returned, a published counter was read with acquire), so the skew is bounded by the
//     out-of-order window, far below the latencies we report.
//   - RDTSCP waits for prior instructions to retire (about 2x the cost here: 18.6 ns vs 9.6 ns,
//     docs/performance.md) and LFENCE;RDTSC stalls the pipeline on every event. We pay neither
//     per event. Benchmarks that need a fenced edge use tsc_now_fenced().
// Invariant TSC (constant_tsc + nonstop_tsc) is a platform requirement checked outside the hot
// path; without it ticks are not time.
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define TICKPATH_HAVE_TSC 1
#else
#define TICKPATH_HAVE_TSC 0
#endif

namespace tickpath::core {

using Ticks = std::uint64_t;

// True when tsc_now() reads the CPU's time-stamp counter; false when it falls back to
// CLOCK_MONOTONIC (std::chrono::steady_clock on Linux), whose ticks are nanoseconds.
inline constexpr bool kClockIsTsc = TICKPATH_HAVE_TSC;

// CLOCK_MONOTONIC in nanoseconds: the fallback clock and the reference for calibration.
[[nodiscard]] inline Ticks monotonic_ns() noexcept {
  return static_cast<Ticks>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now().time_since_epoch())
                                .count());
}

// The hot-path stamp.
[[nodiscard]] inline Ticks tsc_now() noexcept {
#if TICKPATH_HAVE_TSC
  return __rdtsc();
#else
  return monotonic_ns();
#endif
}

// A stamp that no earlier instruction can be reordered past: LFENCE then RDTSC. For measurement
// edges in benchmarks, never per event.
[[nodiscard]] inline Ticks tsc_now_fenced() noexcept {
#if TICKPATH_HAVE_TSC
  _mm_lfence();
  return __rdtsc();
#else
  return monotonic_ns();
#endif
}

}  // namespace tickpath::core
