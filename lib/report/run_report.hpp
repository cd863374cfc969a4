#pragma once
// The files a run adds to its folder at its end, rendered in memory (the app writes them through
// platform/uring/run_files): the .hgrm files and report.html. latency.hlog and timeline.csv are
// not among them: the run journal appended them interval by interval and they are the run's
// record (nothing in memory holds the whole run). report.html is rendered from their text as it
// is on disk, so `tickpath report DIR` later produces the same page.
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
  nlohmann::json summary;    // summary.json as written
  std::string hlog;          // latency.hlog, complete
  std::string timeline_csv;  // timeline.csv, complete
  std::vector<std::pair<std::string, HdrHistogram>> totals;  // whole-run histograms (ns) for .hgrm
};

struct NamedText {
  std::string name;  // relative to the run folder
  std::string content;
};

// latency.hgrm (ingest_to_ack), latency-<stage>.hgrm for every stage with a sample, report.html.
// An error names the log that does not read back.
[[nodiscard]] std::variant<std::vector<NamedText>, std::string> render_run_report(const RunReportInput& input);

// The same, with latency.hlog and timeline.csv read from the run folder `dir` (as the journal
// left them). The text is held only while the page renders, after the run: memory proportional
// to the files, as for `tickpath report`. An error names the file.
[[nodiscard]] std::variant<std::vector<NamedText>, std::string> render_run_report_from_folder(const std::string& dir,
                                                                                            RunReportInput input);

// report.html of a folder read back by load_run_folder.
[[nodiscard]] std::string render_report_html(const RunFolder& folder, const std::string& title);

}  // namespace tickpath::report
