#include "apps/tickpath/compare_command.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "platform/uring/report_dir.hpp"
#include "apps/tickpath/cli_error.hpp"
#include "platform/uring/run_files.hpp"
#include "report/compare.hpp"

namespace tickpath::app {

int compare_command(const CompareOptions& options) {
  auto a = report::load_run_set(options.a);
  if (auto* error = std::get_if<std::string>(&a)) {
    fmt::print(stderr, "tickpath compare: A: {}\n", *error);
    return platform::unreadable_run_exit_code(options.a);
  }
  auto b = report::load_run_set(options.b);
  if (auto* error = std::get_if<std::string>(&b)) {
    fmt::print(stderr, "tickpath compare: B: {}\n", *error);
    return platform::unreadable_run_exit_code(options.b);
  }
  const auto& set_a = std::get<report::RunSet>(a);
  const auto& set_b = std::get<report::RunSet>(b);
  const report::Comparison c = report::compare_runs(set_a, set_b, options.tolerance);
  fmt::print("{}", report::format_comparison(c));
  if (!options.html.empty()) {
    namespace fs = std::filesystem;
    const fs::path out = fs::absolute(options.html);
    const platform::RunFilesResult written =
        platform::write_run_files(out.parent_path().string(), {{out.filename().string(), report::render_compare_html(c, set_a, set_b)}});
    for (const std::string& e : written.errors) fmt::print(stderr, "tickpath compare: {}\n", e);
    if (!written.errors.empty()) return 1;
    fmt::print("html: {}\n", out.string());
  }
  return 0;
}

}  // namespace tickpath::app
