#pragma once
// `tickpath gen --pcap`: the feed written to a capture instead of a port, one line (FILE) or two
// (FILE-A, FILE-B: the feed once, offered to each line's faults, B's records `skew_us` later).
// A capture is not a live send: each record's time is the frame's planned send time and the
// messages' TSC stamp stays 0 (no wire_to_ack from a replay, which would measure the file's age).
#include <atomic>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "wire/feed_generator.hpp"
#include "wire/feed_plan.hpp"
#include "wire/line_faults.hpp"

namespace tickpath::wire {

struct PcapFeedPlan {
  FeedPlan plan;            // with two lines, B's record time is skew_us after A's
  std::string path;         // FILE; two lines: FILE-A and FILE-B (line_path)
  bool two_lines = false;
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
