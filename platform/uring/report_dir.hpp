#pragma once
// The run's report folder: <parent>/<UTC timestamp>/, e.g. reports/20261125T064512Z/ (a numeric
// suffix when two runs start in the same second). Created before anything runs (run, --repeat,
// sweep, jitter), so an unwritable folder is bad input found at start-up, not at the end.
#include <string>

namespace tickpath::platform {

struct ReportDir {
  std::string path;   // absolute, created
  std::string error;  // non-empty: nothing was created
};

[[nodiscard]] ReportDir make_report_dir(const std::string& parent);

// Exactly `path` (its parents are created; `path` itself must not exist yet, so two runs can
// never share a folder). Used when a parent process names its children's folders (run-1, ...).
[[nodiscard]] ReportDir make_exact_report_dir(const std::string& path);

// The exit code for a run folder `report`/`compare` could not load: 2 (bad usage) when `path` is
// no run folder at all (not a folder, or neither summary.json nor run-1/ in it), 1 when it is one
// whose files are damaged or of the wrong shape (docs/operations.md, "Exit codes").
[[nodiscard]] int unreadable_run_exit_code(const std::string& path);

}  // namespace tickpath::platform
