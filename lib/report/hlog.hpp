#pragma once
// HdrHistogram's interval log (.hlog), version 1.3, as Java's HistogramLogWriter writes it and
// HistogramLogReader / HistogramLogProcessor / hdr-histogram-js's HistogramLogReader read it:
//
//   #[tickpath latency.hlog: one histogram per stage per interval, values in nanoseconds]
//   #[Histogram log format version 1.3]
//   #[StartTime: 1764060000.123 (seconds since epoch), 2025-11-25T08:40:00Z]
//   #[BaseTime: 1764060000.123 (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   Tag=ingest_to_ack,0.000,1.000,0.012,HISTFAAAA...
//
// Timestamps are seconds relative to BaseTime (= the run's start); Interval_Max is the interval's
// max in milliseconds (Java's default max-value unit ratio, 10^6 for ns values); the histogram is
// hdr_encoding.hpp's V2 compressed form in base64, values in nanoseconds.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "report/hdr_histogram.hpp"

namespace tickpath::report {

struct HlogEntry {
  std::string tag;         // the stage
  double start_s = 0;      // relative to the log's base time
  double length_s = 0;
  HdrHistogram histogram;  // nanoseconds
};

// One line of the log body (a pre-rendered entry lets the control plane encode an interval
// when it ends instead of keeping every histogram until the run ends).
[[nodiscard]] std::string render_hlog_line(const HlogEntry& entry);
[[nodiscard]] std::string render_hlog_header(double start_epoch_s);

struct Hlog {
  double start_epoch_s = 0;
  double base_epoch_s = 0;
  std::vector<HlogEntry> entries;
};

// Every entry decoded; an error names the line and what was wrong with it.
[[nodiscard]] std::variant<Hlog, std::string> parse_hlog(std::string_view text);

// Distinct tags a log read back may hold (tickpath writes one per stage, fewer than 10).
inline constexpr std::size_t kMaxHlogTags = 64;

// The whole-run histogram of every tag, in order of first appearance, folded while reading: memory
// is one histogram per tag plus the one being decoded (each at most kMaxReadSlots), however many
// intervals the file holds. With `max_intervals`, each tag folds only its first that many intervals
// (one line per tag per interval: a provisional summary counts them). Besides parse_hlog's errors: a tag whose intervals differ in geometry,
// more than kMaxHlogTags tags, counts adding up past kMaxTotalCount.
[[nodiscard]] std::variant<std::vector<std::pair<std::string, HdrHistogram>>, std::string> parse_hlog_totals(
    std::string_view text, std::optional<std::uint64_t> max_intervals = std::nullopt);

}  // namespace tickpath::report
