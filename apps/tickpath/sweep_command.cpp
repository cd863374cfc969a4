#include "apps/tickpath/sweep_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <variant>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "apps/tickpath/cli_error.hpp"
#include "apps/tickpath/repeat_command.hpp"
#include "platform/uring/report_dir.hpp"
#include "apps/tickpath/settings.hpp"
#include "platform/process/child_run.hpp"
#include "platform/process/run_set.hpp"
#include "platform/uring/run_files.hpp"
#include "runtime/shutdown.hpp"
#include "config/config.hpp"
#include "report/run_set_report.hpp"
#include "report/sweep_plan.hpp"

namespace tickpath::app {
namespace {

using nlohmann::json;
using report::Combination;
using report::Vary;
using report::VaryValue;

// The sweep as run so far, for the renderers (lib/report/run_set_report.hpp).
report::SweepResult sweep_result(const std::vector<Vary>& varies, int repeat, std::size_t planned,
                                 std::vector<report::SweepCombination> done, int signal) {
  report::SweepResult r;
  for (const Vary& v : varies) {
    report::SweepKey key{v.key, {}};
    for (const VaryValue& value : v.values) key.values.push_back(value.shown);
    r.keys.push_back(std::move(key));
  }
  r.repeat = repeat;
  r.runs_planned = planned;
  r.combinations = std::move(done);
  r.interrupted_by = runtime::signal_name(signal);
  return r;
}

// Through the run folder's writer (io_uring), like a run's own files.
void write_outputs(const std::string& dir, const report::SweepResult& sweep) {
  print_report_errors(platform::write_run_files(dir, {platform::RunFile{"sweep.csv", report::sweep_csv(sweep)},
                                            platform::RunFile{"sweep.json", report::sweep_json(sweep).dump(2) + "\n"}})
                          .errors);
}

}  // namespace

int sweep_command(const SweepOptions& o) {
  const auto bad = [](const std::string& message) {
    fmt::print(stderr, "tickpath: sweep: {}\n", message);
    return 2;
  };
  if (o.vary.empty()) return bad("give at least one --vary key=v1,v2,...");
  if (o.repeat < 1) return bad(fmt::format("--repeat {}: must be at least 1", o.repeat));

  // 1. Parse --vary against the config schema (types decide the quoting).
  const config::LoadResult defaults = config::load_config("", {});
  const json default_json = config::to_json(std::get<config::Config>(defaults));
  auto parsed = report::parse_varies(o.vary, o.overrides, config::known_keys(), default_json);
  if (auto* error = std::get_if<std::string>(&parsed)) return bad(*error);
  const std::vector<Vary> varies = std::get<std::vector<Vary>>(std::move(parsed));
  const std::vector<Combination> combinations = report::cartesian(varies);

  // 2. Validate every combination as its child would, before starting any.
  RunOptions base;
  base.config_path = o.config_path;
  base.duration_s = o.duration_s;
  base.events = o.events;
  base.rate_pps = o.rate_pps;
  base.report_dir = o.report_dir;
  std::string parent;
  for (const Combination& c : combinations) {
    RunOptions run = base;
    run.overrides = o.overrides;
    run.overrides.insert(run.overrides.end(), c.sets.begin(), c.sets.end());
    auto resolved = resolve_config(run.config_path, run.overrides, &run);
    if (auto* error = std::get_if<std::string>(&resolved)) return bad(fmt::format("{}: {}", c.name, *error));
    parent = std::get<config::Startup>(resolved).config.report.dir;
  }
  const platform::ReportDir sweep_dir = platform::make_report_dir(parent);
  if (!sweep_dir.error.empty()) {
    fmt::print(stderr, "tickpath: sweep: {}\n", sweep_dir.error);
    return 2;  // a folder the operator named: bad input
  }

  const std::size_t planned = combinations.size() * static_cast<std::size_t>(o.repeat);
  fmt::print("sweep: {} combination(s) x {} repeat(s) = {} runs into {}\n", combinations.size(), o.repeat, planned,
             sweep_dir.path);
  std::fflush(stdout);

  // 3. Run them, one set per combination, sequentially (one EAL at a time: the user's
  //    eal.file_prefix / http.listen, if set, reach every child unchanged through --set).
  platform::ChildSignals::install();
  std::vector<report::SweepCombination> done;
  int progress = 0;
  int signal = 0;
  bool bad_input = false;
  bool any_failed = false;
  for (const Combination& c : combinations) {
    if (platform::ChildSignals::received() != 0) break;
    RunOptions run = base;
    run.report_dir.reset();
    run.overrides = o.overrides;
    run.overrides.insert(run.overrides.end(), c.sets.begin(), c.sets.end());
    platform::RunSetPlan plan;
    plan.child_args = child_run_args(run);
    plan.eal_extra = o.eal_extra;
    plan.repeat = o.repeat;
    plan.folder = sweep_dir.path + "/" + report::folder_name(c.name);
    plan.echo = false;
    plan.label = c.name;
    plan.progress_done = &progress;
    plan.progress_total = static_cast<int>(planned);
    std::error_code ec;
    std::filesystem::create_directories(plan.folder, ec);
    const platform::RunSetOutcome out = platform::run_set(plan);
    done.push_back({c.name, c.shown, plan.folder, out.runs});
    write_outputs(sweep_dir.path, sweep_result(varies, o.repeat, planned, done, out.signal));
    signal = out.signal;
    bad_input |= out.bad_input;
    any_failed |= out.any_failed;
    if (signal != 0 || bad_input) break;
  }
  if (signal == 0) signal = platform::ChildSignals::received();
  platform::ChildSignals::uninstall();
  const report::SweepResult sweep = sweep_result(varies, o.repeat, planned, std::move(done), signal);
  write_outputs(sweep_dir.path, sweep);
  print_report_errors(platform::write_run_files(sweep_dir.path, {platform::RunFile{"sweep.html", report::render_sweep_html(sweep_dir.path, sweep)}}).errors);
  int completed = 0;
  for (const report::SweepCombination& c : sweep.combinations) completed += report::completed_runs(c.runs);
  fmt::print("\n{:=^78}\n", " tickpath sweep ");
  fmt::print("{}", report::format_sweep_table(sweep));
  if (signal != 0) {
    fmt::print("sweep stopped by {}: {} of {} runs completed and kept (sweep.csv, sweep.json cover them)\n",
               runtime::signal_name(signal), completed, planned);
  }
  fmt::print("report: {}\n", sweep_dir.path);
  std::fflush(stdout);
  if (signal != 0) return 128 + signal;
  if (bad_input) return 2;
  return any_failed ? 1 : 0;
}

}  // namespace tickpath::app
