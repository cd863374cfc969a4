#pragma once
// `tickpath report DIR`: re-renders DIR/report.html from the folder's data files (summary.json,
// latency.hlog, timeline.csv). Exit 0; 1 when a file is missing or corrupt (the message names it)
// or report.html cannot be written.
#include <string>

namespace tickpath::app {

struct ReportOptions {
  std::string dir;
  std::string out;  // "" = DIR/report.html
};

[[nodiscard]] int report_command(const ReportOptions& options);

}  // namespace tickpath::app
