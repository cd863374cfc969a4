#include "apps/tickpath/repeat_command.hpp"

#include <variant>

#include <fmt/format.h>

#include "platform/uring/report_dir.hpp"
#include "platform/process/child_run.hpp"
#include "platform/process/run_set.hpp"
#include "report/run_set_report.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::app {

int repeat_command(const RunOptions& options, int repeat) {
  if (repeat < 1) {
    fmt::print(stderr, "tickpath: --repeat {}: must be at least 1\n", repeat);
    return 2;
  }
  // Validated once here, so a bad key fails before any child starts; the parent folder goes
  // where the run's own folder would have (report.dir, or --report-dir).
  auto resolved = config::load_run_startup(options);
  if (auto* error = std::get_if<std::string>(&resolved)) {
    fmt::print(stderr, "tickpath: {}\n", *error);
    return 2;
  }
  const std::string parent = std::get<config::Startup>(resolved).config.report.dir;
  const platform::ReportDir folder = platform::make_report_dir(parent);
  if (!folder.error.empty()) {
    fmt::print(stderr, "tickpath: {}\n", folder.error);
    return 2;  // a folder the operator named: bad input, like a bad key
  }
  platform::RunSetPlan plan;
  plan.child_args = config::child_run_args(options);
  plan.eal_extra = options.eal_extra;
  plan.repeat = repeat;
  plan.folder = folder.path;
  plan.echo = true;
  platform::ChildSignals::install();
  const platform::RunSetOutcome out = platform::run_set(plan);
  platform::ChildSignals::uninstall();

  fmt::print("{}", report::format_repeat_table(out.runs, repeat));
  const int completed = report::completed_runs(out.runs);
  if (out.signal != 0) {
    fmt::print("interrupted by {}: kept the {} run(s) that finished; aggregate.json covers them\n",
               runtime::signal_name(out.signal), completed);
  }
  fmt::print("report: {}\n", folder.path);
  if (out.signal != 0) return 128 + out.signal;
  if (out.bad_input) return 2;
  return out.any_failed ? 1 : 0;
}

}  // namespace tickpath::app
