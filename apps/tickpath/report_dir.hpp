#pragma once
// The run's report folder: <parent>/<UTC timestamp>/, e.g. reports/20261125T064512Z/ (a numeric
// suffix when two runs start in the same second).
#include <string>

namespace tickpath::app {

struct ReportDir {
  std::string path;   // absolute, created
  std::string error;  // non-empty: nothing was created
};

[[nodiscard]] ReportDir make_report_dir(const std::string& parent);

}  // namespace tickpath::app
