#pragma once
// What `tickpath gen` sends, wherever it sends it (a port, two ports, a capture or two): the feed,
// its load shape, when to stop, and with two lines each line's faults and B's offset from A.
#include <array>
#include <cstdint>
#include <optional>

#include "wire/feed_generator.hpp"
#include "wire/line_faults.hpp"
#include "wire/load_shape.hpp"

namespace tickpath::wire {

struct FeedPlan {
  FeedSpec feed;
  LoadSpec load;
  std::optional<double> duration_s;
  std::optional<std::uint64_t> frames;  // feed frames to schedule (the tail is added after)
  // Two lines: each line's faults, and B's copy this long after A's (negative: before).
  std::array<LineFaultSpec, 2> faults{};
  double skew_us = 0;

  // Whether the limits say stop before scheduling another frame, `scheduled` so far, the next one
  // due at `due_ns` on the schedule.
  [[nodiscard]] bool limit_reached(std::uint64_t scheduled, double due_ns) const noexcept {
    return (frames && scheduled >= *frames) || (duration_s && due_ns >= *duration_s * 1e9);
  }
};

}  // namespace tickpath::wire
