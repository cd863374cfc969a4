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
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::uint64_t gaps = 0;        // event sequences missing between consecutive records
  std::uint64_t reordered = 0;   // a record whose event_seq is not above the previous one
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
