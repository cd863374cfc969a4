#pragma once
// A received frame as the hot path sees it: a view into memory the source owns until release().
#include <cstddef>
#include <cstdint>

#include "core/time/tsc.hpp"

namespace tickpath::core {

struct FrameView {
  const std::byte* data = nullptr;
  std::uint32_t length = 0;
  // NIC hardware rx timestamp in the NIC's own clock, 0 when the port offers none.
  std::uint64_t hw_timestamp = 0;
  // TSC at which the frame was due: a paced source's intended time (start + k / rate), so that
  // latency starts when the frame should have arrived, not when a late ingest got round to it
  // (no coordinated omission). 0 when the source has no schedule (a NIC, an unpaced source).
  Ticks due_tsc = 0;
  // Which feed line delivered it (0 = A, 1 = B): set by LinePairSource, 0 from a single source.
  // Last, so that positional initialisers {data, length, hw_timestamp} keep their meaning.
  std::uint8_t line = 0;
};

// Largest burst a source may return in one receive() call; sized like DPDK's usual rx burst
// ceiling so the stage's arrays stay on the stack.
inline constexpr std::size_t kMaxRxBurst = 64;

}  // namespace tickpath::core
