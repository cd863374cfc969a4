#pragma once
// `tickpath gen --pcap`: the feed written to a capture instead of a port, one line (FILE) or two
// (FILE-A, FILE-B: the feed once, offered to each line's faults, B's records `skew_us` later).
// A capture is not a live send: each record's time is the frame's planned send time and the
// messages' TSC stamp stays 0 (no wire_to_ack from a replay, which would measure the file's age).
#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wire/feed_generator.hpp"
#include "wire/line_faults.hpp"
#include "wire/load_shape.hpp"

namespace tickpath::wire {

struct PcapFeedPlan {
  FeedSpec feed;
  LoadSpec load;
  std::optional<double> duration_s;
  std::optional<std::uint64_t> frames;  // feed frames to schedule (the tail is added after)
  std::string path;                     // FILE; two lines: FILE-A and FILE-B (line_path)
  // Two lines: each line's faults and B's record time this long after A's (negative: before).
  bool two_lines = false;
  std::array<LineFaultSpec, 2> faults{};
  double skew_us = 0;
};

struct PcapFeedResult {
  Injected injected;               // the feed as written (two lines: as offered to both)
  std::vector<LineInjected> lines;  // empty with one line
  std::vector<std::string> files;   // the captures written
  double span_s = 0;                // first to last planned send time
};

// Writes until the plan's limit or `stop`, then the feed's tail. Error: the file and what failed.
[[nodiscard]] std::variant<PcapFeedResult, std::string> write_feed_pcap(const PcapFeedPlan& plan,
                                                                        const std::atomic<bool>& stop);

}  // namespace tickpath::wire
