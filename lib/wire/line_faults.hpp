#pragma once
// `tickpath gen --lines 2`: the same feed on two lines (A and B), each with its own faults on
// top of the feed's (a fault of the feed itself, e.g. --gap-every, is on both lines: true loss).
//
//   drop_every N      every N-th data frame of the feed is not sent on this line
//   reorder_every R   every R-th data frame this line sends is held and sent after the next one
//   skew_ns           (line B) B's copy of every frame is sent this much after A's (negative:
//                     before); in a capture it is B's record time
//
// Only data frames are dropped or reordered (heartbeats, broken frames and the end of session go
// out on both lines), so what a receiver must count follows from the tallies alone: with drops on
// A only, B fills exactly the messages A dropped, and nothing is lost.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "wire/feed_generator.hpp"

namespace tickpath::wire {

struct LineFaultSpec {
  std::uint64_t drop_every = 0;     // 0: off
  std::uint64_t reorder_every = 0;  // 0: off
};

// Empty when usable, else what is wrong (names the option, with the line's letter).
[[nodiscard]] std::string validate(const LineFaultSpec& spec, char line);

struct LineInjected {
  std::uint64_t frames = 0;            // frames this line sent
  std::uint64_t dropped_frames = 0;
  std::uint64_t dropped_messages = 0;  // messages in those: the other line must fill them
  std::uint64_t reordered = 0;         // frames held and sent after their successor
  [[nodiscard]] nlohmann::json to_json() const;
};

class LineFaults {
 public:
  explicit LineFaults(LineFaultSpec spec) : spec_(spec) {}

  // One frame of the feed, in feed order: appends what this line sends now (none, it, or a held
  // frame and it) to `out`.
  void offer(const GenFrame& frame, std::vector<GenFrame>& out);
  // End of the feed: a frame still held goes out before `last` (the end of session).
  void finish(std::vector<GenFrame>& out);

  [[nodiscard]] const LineInjected& injected() const noexcept { return injected_; }

 private:
  LineFaultSpec spec_;
  std::uint64_t data_seen_ = 0;  // data frames of the feed offered
  std::uint64_t data_sent_ = 0;  // data frames this line sent (or holds)
  std::optional<GenFrame> held_;
  LineInjected injected_;
};

// "feed.pcap" -> "feed-A.pcap"; "feed" -> "feed-A".
[[nodiscard]] std::string line_path(const std::string& path, char line);

}  // namespace tickpath::wire
