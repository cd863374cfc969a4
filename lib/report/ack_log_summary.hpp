#pragma once
// `tickpath acks`: an ack log read back, as a summary computed in one streaming pass (a log can
// be gigabytes) or as CSV, one row per record. Latency percentiles come from the same log-linear
// histogram as the run's. The file format itself is ack_log_format.hpp's.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "control/metrics/latency_summary.hpp"
#include "report/ack_log_format.hpp"

namespace tickpath::report::acklog {

struct LogSummary {
  ReadResult read;               // the header, salvage counts, or the error
  std::uint64_t records = 0;     // records passed through (intact ones, with salvage)
  std::uint64_t executed = 0;
  std::array<std::uint64_t, 5> by_state{};  // INIT WARMUP READY DEGRADED, other
  // The event_seq range the records cover, whatever order they come in.
  std::uint64_t lowest_seq = 0;
  std::uint64_t highest_seq = 0;
  // Numbers between lowest_seq and highest_seq that no record carries. A record that comes after
  // a higher one is looked up in a window of the last core::kSequenceWindow numbers (the feed's
  // own SequenceTracker, so the same rule as feed_gaps / feed_recovered): if its number was
  // missing it is `late` and no longer missing, if it was already there it is a duplicate.
  // Further back than the window it cannot be told apart (`too_old`): `missing` is then an upper
  // bound, at most too_old above the truth. Memory is fixed, one pass, O(1) per record.
  std::uint64_t missing = 0;
  std::uint64_t reordered = 0;   // records not above every number before them: late + duplicates + too_old
  std::uint64_t late = 0;        // delivered a number that was missing when a higher one came
  std::uint64_t duplicates = 0;  // carried a number an earlier record had carried
  std::uint64_t too_old = 0;     // more than the window below the highest number seen
  double span_s = 0;             // from the first rx to the last ack
  control::LatencySummary ingest_to_ack;  // nanoseconds, at the header's TSC rate
};

[[nodiscard]] LogSummary summarize_log(const std::string& path, ReadMode mode);

// The summary as `tickpath acks FILE` prints it (`salvaged` adds the salvage line).
[[nodiscard]] std::string format_log_summary(const std::string& path, const LogSummary& summary, bool salvaged);

// Streams the log as CSV (a header line, then one row per record) through `out`, in chunks of
// about 64 KiB. Nothing is written for a log whose header or size is bad: only the error comes back.
[[nodiscard]] ReadResult write_log_csv(const std::string& path, ReadMode mode,
                                       const std::function<void(std::string_view)>& out);

}  // namespace tickpath::report::acklog
