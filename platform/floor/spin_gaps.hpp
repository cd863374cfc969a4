#pragma once
// The measuring loop of `tickpath jitter`: read the TSC back to back and record every gap. On a
// quiet core every gap is the cost of one iteration (tens of ns); an interrupt, a timer tick, an
// SMI or (in a VM) the hypervisor taking the cpu shows up as one long gap: a hiccup.
//
// The loop allocates nothing, takes no lock and makes no system call: the histogram's buckets
// were allocated before, the tally is plain integers owned by this thread. The clock is a
// template parameter so a test can inject a known stall (sleep inside one read) and check that
// it comes out as a hiccup of at least that size.
#include <array>
#include <cstdint>

#include "control/metrics/histogram.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::platform {

// Gap sizes in ticks, computed once from the calibration before the loop starts.
struct HiccupEdges {
  core::Ticks threshold = 0;  // a gap >= threshold is a hiccup
  // Decades: [1 us, 10 us), [10 us, 100 us), [100 us, 1 ms), [1 ms, inf).
  std::array<core::Ticks, 4> decade{};
  // The smaller of threshold and decade[0]: below it the loop takes no extra branch.
  core::Ticks slow = 0;
};

// What one spinning thread counted (read by the caller after join()).
struct GapTally {
  std::uint64_t samples = 0;
  std::uint64_t hiccups = 0;           // gaps >= threshold
  core::Ticks hiccup_ticks = 0;        // their sum: time the core was taken away
  std::array<std::uint64_t, 4> decades{};  // gaps per decade, independent of the threshold
};

// Spins until `duration` ticks have passed since the first read. `read` returns TSC ticks.
template <class ReadTsc>
void spin_gaps(ReadTsc read, core::Ticks duration, const HiccupEdges& edges, control::Histogram& gaps,
               GapTally& tally) noexcept {
  core::Ticks prev = read();
  const core::Ticks end = prev + duration;
  GapTally t;  // locals in registers; stored once at the end
  for (;;) {
    const core::Ticks now = read();
    // A pinned thread's TSC never goes backwards (invariant TSC); the guard keeps an unpinned
    // test thread migrating between unsynchronised counters from recording 2^64.
    const core::Ticks gap = now >= prev ? now - prev : 0;
    prev = now;
    gaps.record(gap);
    ++t.samples;
    if (gap >= edges.slow) [[unlikely]] {
      if (gap >= edges.threshold) {
        ++t.hiccups;
        t.hiccup_ticks += gap;
      }
      for (int d = 3; d >= 0; --d) {
        if (gap >= edges.decade[static_cast<std::size_t>(d)]) {
          ++t.decades[static_cast<std::size_t>(d)];
          break;
        }
      }
    }
    if (now >= end) [[unlikely]] break;
  }
  tally = t;
}

}  // namespace tickpath::platform
