#include "platform/process/sweep.hpp"

#include <filesystem>
#include <system_error>

#include "platform/process/child_run.hpp"
#include "platform/process/run_set.hpp"
#include "platform/uring/run_files.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::platform {
namespace {

// The sweep as run so far, for the renderers (lib/report/run_set_report.hpp).
report::SweepResult sweep_result(const SweepPlan& plan, std::vector<report::SweepCombination> done, int signal) {
  report::SweepResult r;
  for (const report::Vary& v : plan.varies) {
    report::SweepKey key{v.key, {}};
    for (const report::VaryValue& value : v.values) key.values.push_back(value.shown);
    r.keys.push_back(std::move(key));
  }
  r.repeat = plan.repeat;
  r.runs_planned = plan.combinations.size() * static_cast<std::size_t>(plan.repeat);
  r.combinations = std::move(done);
  r.interrupted_by = runtime::signal_name(signal);
  return r;
}

// Through the run folder's writer (io_uring), like a run's own files.
void write_files(const SweepPlan& plan, std::vector<RunFile> files) {
  const RunFilesResult written = write_run_files(plan.folder, files);
  if (!written.errors.empty() && plan.report_errors) plan.report_errors(written.errors);
}

std::vector<RunFile> tables(const report::SweepResult& sweep) {
  return {RunFile{"sweep.csv", report::sweep_csv(sweep)}, RunFile{"sweep.json", report::sweep_json(sweep).dump(2) + "\n"}};
}

}  // namespace

SweepOutcome run_sweep(const SweepPlan& plan) {
  SweepOutcome outcome;
  const int planned = static_cast<int>(plan.combinations.size()) * plan.repeat;
  ChildSignals::install();
  std::vector<report::SweepCombination> done;
  int progress = 0;
  for (const report::Combination& c : plan.combinations) {
    if (ChildSignals::received() != 0) break;
    RunSetPlan set;
    set.child_args = plan.child_args;
    for (const std::string& s : c.sets) set.child_args.insert(set.child_args.end(), {"--set", s});
    set.eal_extra = plan.eal_extra;
    set.repeat = plan.repeat;
    set.folder = plan.folder + "/" + report::folder_name(c.name);
    set.echo = false;
    set.label = c.name;
    set.progress_done = &progress;
    set.progress_total = planned;
    std::error_code ec;
    std::filesystem::create_directories(set.folder, ec);
    const RunSetOutcome out = run_set(set);
    done.push_back({c.name, c.shown, set.folder, out.runs});
    write_files(plan, tables(sweep_result(plan, done, out.signal)));
    outcome.signal = out.signal;
    outcome.bad_input |= out.bad_input;
    outcome.any_failed |= out.any_failed;
    if (outcome.signal != 0 || outcome.bad_input) break;
  }
  if (outcome.signal == 0) outcome.signal = ChildSignals::received();
  ChildSignals::uninstall();
  outcome.sweep = sweep_result(plan, std::move(done), outcome.signal);
  write_files(plan, tables(outcome.sweep));
  write_files(plan, {RunFile{"sweep.html", report::render_sweep_html(plan.folder, outcome.sweep)}});
  return outcome;
}

}  // namespace tickpath::platform
