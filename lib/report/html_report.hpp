#pragma once
// report.html: one self-contained page (inline CSS and SVG, no script, no URL) that an SRE can
// attach to a postmortem: headline figures, a percentile-distribution plot per stage, the
// timeline of throughput and p99 over the lifecycle states with failure windows marked, the
// consumers' overruns, and the platform and effective config the figures came from.
#include <string>
#include <utility>
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

}  // namespace tickpath::report
