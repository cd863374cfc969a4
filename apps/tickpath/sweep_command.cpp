#include "apps/tickpath/sweep_command.hpp"

#include <cstdio>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "apps/tickpath/cli_error.hpp"
#include "apps/tickpath/repeat_command.hpp"
#include "config/config.hpp"
#include "platform/process/sweep.hpp"
#include "platform/uring/report_dir.hpp"
#include "report/run_set_report.hpp"
#include "report/sweep_plan.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::app {

int sweep_command(const SweepOptions& o) {
  const auto bad = [](const std::string& message) { return fail(2, message, "tickpath: sweep"); };
  if (o.vary.empty()) return bad("give at least one --vary key=v1,v2,...");
  if (o.repeat < 1) return bad(fmt::format("--repeat {}: must be at least 1", o.repeat));

  // 1. Parse --vary against the config schema (types decide the quoting).
  const config::LoadResult defaults = config::load_config("", {});
  const nlohmann::json default_json = config::to_json(std::get<config::Config>(defaults));
  auto parsed = report::parse_varies(o.vary, o.overrides, config::known_keys(), default_json);
  if (auto* error = std::get_if<std::string>(&parsed)) return bad(*error);
  platform::SweepPlan plan;
  plan.varies = std::get<std::vector<report::Vary>>(std::move(parsed));
  plan.combinations = report::cartesian(plan.varies);

  // 2. Validate every combination as its child would, before starting any.
  RunOptions run;
  run.config_path = o.config_path;
  run.duration_s = o.duration_s;
  run.events = o.events;
  run.rate_pps = o.rate_pps;
  run.report_dir = o.report_dir;
  std::string parent;
  for (const report::Combination& c : plan.combinations) {
    run.overrides = o.overrides;
    run.overrides.insert(run.overrides.end(), c.sets.begin(), c.sets.end());
    auto resolved = config::load_run_startup(run);
    if (auto* error = std::get_if<std::string>(&resolved)) return bad(fmt::format("{}: {}", c.name, *error));
    parent = std::get<config::Startup>(resolved).config.report.dir;
  }
  const platform::ReportDir sweep_dir = platform::make_report_dir(parent);
  if (!sweep_dir.error.empty()) return bad(sweep_dir.error);  // a folder the operator named: bad input

  // 3. Run them (platform/process/sweep.hpp); each child gets the common flags, then its --set.
  run.overrides = o.overrides;
  plan.child_args = config::child_run_args(run);
  plan.eal_extra = o.eal_extra;
  plan.repeat = o.repeat;
  plan.folder = sweep_dir.path;
  plan.report_errors = print_report_errors;
  const std::size_t planned = plan.combinations.size() * static_cast<std::size_t>(o.repeat);
  fmt::print("sweep: {} combination(s) x {} repeat(s) = {} runs into {}\n", plan.combinations.size(), o.repeat, planned,
             sweep_dir.path);
  std::fflush(stdout);
  const platform::SweepOutcome out = platform::run_sweep(plan);

  int completed = 0;
  for (const report::SweepCombination& c : out.sweep.combinations) completed += report::completed_runs(c.runs);
  fmt::print("\n{:=^78}\n", " tickpath sweep ");
  fmt::print("{}", report::format_sweep_table(out.sweep));
  if (out.signal != 0) {
    fmt::print("sweep stopped by {}: {} of {} runs completed and kept (sweep.csv, sweep.json cover them)\n",
               runtime::signal_name(out.signal), completed, planned);
  }
  fmt::print("report: {}\n", sweep_dir.path);
  std::fflush(stdout);
  if (out.signal != 0) return 128 + out.signal;
  if (out.bad_input) return 2;
  return out.any_failed ? 1 : 0;
}

}  // namespace tickpath::app
