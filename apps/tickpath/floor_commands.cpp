#include "apps/tickpath/floor_commands.hpp"

#include <chrono>
#include <cstdio>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "platform/uring/report_dir.hpp"
#include "apps/tickpath/cli_error.hpp"
#include "platform/uring/run_files.hpp"
#include "platform/floor/c2c.hpp"
#include "platform/floor/jitter_files.hpp"
#include "platform/topology/cpu_choice.hpp"
#include "platform/topology/machine.hpp"

namespace tickpath::app {
namespace {

core::TscCalibration calibrate() {
  return core::kClockIsTsc ? core::TscCalibration::measure(std::chrono::milliseconds(100)) : core::TscCalibration{};
}

}  // namespace

int jitter_command(const JitterCommandOptions& o) {
  const platform::Machine machine = platform::discover_machine();
  auto cpus = platform::choose_cpus(o.cores, machine);
  if (auto* error = std::get_if<std::string>(&cpus)) return fail(2, *error);
  if (!(o.duration_s > 0)) return fail(2, "--duration must be positive");
  if (!(o.threshold_ns > 0)) return fail(2, "--threshold-ns must be positive");
  const platform::ReportDir folder = platform::make_report_dir(o.report_dir);
  if (!folder.error.empty()) return fail(2, folder.error);

  const std::vector<int>& list = std::get<std::vector<int>>(cpus);
  if (!o.json) {
    fmt::print("jitter: spinning on cpu(s) {} for {} s ...\n", fmt::join(list, ","), o.duration_s);
    std::fflush(stdout);
  }
  auto measured = platform::measure_jitter({list, o.duration_s, o.threshold_ns}, calibrate());
  if (auto* error = std::get_if<std::string>(&measured)) return fail(2, *error);
  const platform::JitterReport& report = std::get<platform::JitterReport>(measured);

  // Through the run folder's writer (io_uring); jitter.json is also what --json prints.
  std::vector<platform::RunFile> files;
  for (report::NamedText& f : platform::jitter_files(report)) files.push_back({std::move(f.name), std::move(f.content)});
  const platform::RunFilesResult written = platform::write_run_files(folder.path, files);
  print_report_errors(written.errors);
  if (o.json) {
    fmt::print("{}", files.front().content);
    fmt::print(stderr, "report: {}\n", folder.path);
  } else {
    fmt::print("{}", platform::format_jitter(report));
    fmt::print("report: {}\n", folder.path);
  }
  if (!written.errors.empty()) return kExitReportIncomplete;  // measured, report incomplete (as `run`)
  return platform::all_measured(report) ? 0 : 1;
}

int c2c_command(const C2cCommandOptions& o) {
  const platform::Machine machine = platform::discover_machine();
  auto cpus = platform::choose_cpus(o.cores, machine);
  if (auto* error = std::get_if<std::string>(&cpus)) return fail(2, *error);
  if (o.samples == 0) return fail(2, "--samples must be positive");
  auto measured = platform::measure_c2c(std::get<std::vector<int>>(cpus), o.samples, calibrate(), machine);
  if (auto* error = std::get_if<std::string>(&measured)) return fail(2, *error);
  const platform::C2cReport& report = std::get<platform::C2cReport>(measured);
  bool all_measured = true;
  for (const platform::C2cPair& p : report.pairs) all_measured &= p.error.empty();
  if (o.json) {
    fmt::print("{}\n", platform::to_json(report).dump(2));
  } else {
    fmt::print("{}", platform::format_c2c(report));
  }
  return all_measured ? 0 : 1;
}

}  // namespace tickpath::app
