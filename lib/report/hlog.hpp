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
#include <functional>
#include <string>
#include <string_view>
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

// Every entry decoded and kept; an error names the line and what was wrong with it. Each entry
// holds a whole histogram (~270 KB at the report's range), so a long run's log does not fit:
// whatever only folds the entries (stage totals) uses scan_hlog.
[[nodiscard]] std::variant<Hlog, std::string> parse_hlog(std::string_view text);

// The same reading, one entry at a time: `visit` gets each entry as it is decoded, in the log's
// order, and keeps what it needs; the Hlog returned carries the times and no entries. Entries
// before an error have been visited.
using HlogVisitor = std::function<void(HlogEntry&&)>;
[[nodiscard]] std::variant<Hlog, std::string> scan_hlog(std::string_view text, const HlogVisitor& visit);

}  // namespace tickpath::report
