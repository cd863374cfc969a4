#pragma once
// Every file a run adds to its folder after summary.json, rendered in memory (the app writes them
// through platform/uring/run_files). report.html is rendered from the same text that goes into
// latency.hlog and timeline.csv, so `tickpath report DIR` later produces the same page.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/hdr_histogram.hpp"
#include "report/run_folder.hpp"

namespace tickpath::report {

struct RunReportInput {
  std::string title;       // the run folder's name
  nlohmann::json summary;  // summary.json as written
  std::string hlog;        // latency.hlog, complete
  std::vector<std::pair<std::string, HdrHistogram>> totals;  // whole-run histograms (ns) for .hgrm
};

struct NamedText {
  std::string name;  // relative to the run folder
  std::string content;
};

// latency.hgrm (ingest_to_ack), latency-<stage>.hgrm for every stage with a sample, latency.hlog, timeline.csv,
// report.html. An error only if the hlog text cannot be read back (a bug, said as such).
[[nodiscard]] std::variant<std::vector<NamedText>, std::string> render_run_report(const RunReportInput& input);

// report.html of a folder read back by load_run_folder.
[[nodiscard]] std::string render_report_html(const RunFolder& folder, const std::string& title);

}  // namespace tickpath::report
