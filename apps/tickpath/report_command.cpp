#include "apps/tickpath/report_command.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "platform/uring/report_dir.hpp"
#include "apps/tickpath/cli_error.hpp"
#include "platform/uring/run_files.hpp"
#include "report/run_folder.hpp"
#include "report/run_report.hpp"

namespace tickpath::app {

int report_command(const ReportOptions& options) {
  namespace fs = std::filesystem;
  auto loaded = report::load_run_folder(options.dir, report::Need::everything);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    fmt::print(stderr, "tickpath report: {}\n", *error);
    if (fs::is_directory(fs::path(options.dir) / "run-1")) {
      fmt::print(stderr, "tickpath report: {} holds repeated runs: render each, e.g. tickpath report {}\n", options.dir,
                 (fs::path(options.dir) / "run-1").string());
    }
    return platform::unreadable_run_exit_code(options.dir);
  }
  const fs::path dir = fs::absolute(options.dir).lexically_normal();
  const std::string title = (dir.filename().empty() ? dir.parent_path() : dir).filename().string();
  const std::string html = report::render_report_html(std::get<report::RunFolder>(loaded), title);
  const fs::path out = options.out.empty() ? dir / "report.html" : fs::absolute(options.out);
  const platform::RunFilesResult written = platform::write_run_files(out.parent_path().string(), {{out.filename().string(), html}});
  for (const std::string& e : written.errors) fmt::print(stderr, "tickpath report: {}\n", e);
  if (!written.errors.empty()) return 1;
  const report::RunFolder& folder = std::get<report::RunFolder>(loaded);
  if (folder.provisional) {
    fmt::print("report: incomplete run: summary.json is provisional (the run was killed, crashed or is still "
               "running); reported up to its last complete interval, {} rows of timeline.csv\n",
               folder.timeline.rows.size());
  }
  fmt::print("report: {} ({} bytes)\n", out.string(), written.bytes);
  return 0;
}

}  // namespace tickpath::app
