// libFuzzer: summary.json as `tickpath report` and `compare` read it.
//
// Invariant: a summary that load_run_folder accepts (summary_shape_error found nothing) renders as
// report.html and compares against itself without an exception: the shape check covers every
// field the renderers read. `"duration_s":"ten"`, `"events":null`, `platform.hugepages:1` and a
// summary with only `events` each aborted `report` or `compare` before issue 14.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "report/compare.hpp"
#include "report/html_report.hpp"
#include "report/run_folder.hpp"
#include "tests/fuzz/fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tickpath::report;
  const auto dir = tickpath::fuzz::scratch_dir() / "summary";
  static const bool made = std::filesystem::create_directories(dir) || true;
  (void)made;
  tickpath::fuzz::write_input("summary/summary.json", data, size);
  auto loaded = load_run_set(dir.string());
  if (std::holds_alternative<std::string>(loaded)) return 0;
  const RunSet& set = std::get<RunSet>(loaded);
  (void)render_report_html(ReportData{"fuzz", set.runs.front().summary, set.runs.front().stages, set.runs.front().timeline});
  const Comparison c = compare_runs(set, set, 0.05);
  (void)format_comparison(c);
  (void)render_compare_html(c, set, set);
  return 0;
}
