#pragma once
// report.html: one self-contained page (inline CSS and SVG, no script, no URL) that an SRE can
// attach to a postmortem: headline figures, a percentile-distribution plot per stage, the
// timeline of throughput and p99 over the lifecycle states with failure windows marked, the
// consumers' overruns, and the platform and effective config the figures came from.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/hdr_histogram.hpp"
#include "report/timeline_csv.hpp"

namespace tickpath::report {

struct ReportData {
  std::string title;                                        // e.g. the run folder's name
  nlohmann::json summary;                                   // summary.json
  std::vector<std::pair<std::string, HdrHistogram>> stages;  // whole-run histograms, ns
  CsvTable timeline;                                        // timeline.csv
};

[[nodiscard]] std::string render_report_html(const ReportData& data);

// Shared by the run report and the compare page.
[[nodiscard]] std::string html_page(std::string_view title, std::string_view body);
// "1.23 µs" from nanoseconds.
[[nodiscard]] std::string format_duration_ns(double ns);

// Every stage's whole-run histogram: the sum of the log's intervals, tag by tag, in the order
// the tags first appear; with `first_intervals`, only each tag's first that many entries (a
// provisional folder's complete intervals). Read from latency.hlog's text one entry at a time,
// so memory is one histogram per stage plus the one being decoded, whatever the run's length;
// the error is scan_hlog's.
using StageTotals = std::vector<std::pair<std::string, HdrHistogram>>;
[[nodiscard]] std::variant<StageTotals, std::string> stage_totals(std::string_view hlog_text,
                                                                 std::optional<std::uint64_t> first_intervals = std::nullopt);

}  // namespace tickpath::report
