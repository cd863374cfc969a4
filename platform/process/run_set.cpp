#include "platform/process/run_set.hpp"

#include <csignal>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "platform/process/child_run.hpp"
#include "platform/uring/run_files.hpp"
#include "report/metric_catalogue.hpp"
#include "report/run_folder.hpp"
#include "report/run_summary.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::platform {
namespace {

using nlohmann::json;

// The parent's files go through the run folder's writer (io_uring) like a run's own; a file that
// cannot be written is said on stderr (the child runs' own reports are already on disk).
void write_file(const std::string& dir, const std::string& name, std::string content) {
  for (const std::string& e : write_run_files(dir, {RunFile{name, std::move(content)}}).errors) {
    fmt::print(stderr, "tickpath: report incomplete: {}\n", e);
  }
}


// A finished child's record: its figures from its summary.json, completed unless it failed, was
// stopped by a signal, or left no summary of the right shape.
void read_summary(RunRecord& r, int exit_code) {
  std::string text;
  if (!report::read_text_file(r.folder + "/summary.json", text)) return;
  const json summary = json::parse(text, nullptr, false);
  if (summary.is_discarded()) return;
  const auto parsed = report::parse_run_summary(summary);
  if (const auto* s = std::get_if<report::RunSummary>(&parsed)) {
    r.metrics = report::metrics_json(report::run_metrics(*s));
    r.completed = exit_code == 0 && s->shutdown_reason != "signal";
  }
}

void write_aggregate(const RunSetPlan& plan, const RunSetOutcome& o) {
  write_file(plan.folder, "aggregate.json", report::aggregate_document(plan.repeat, o.runs, runtime::signal_name(o.signal)).dump(2) + "\n");
}

}  // namespace

RunSetOutcome run_set(const RunSetPlan& plan) {
  RunSetOutcome out;
  for (int i = 1; i <= plan.repeat; ++i) {
    if (const int sig = ChildSignals::received(); sig != 0) {
      out.signal = sig;
      break;
    }
    RunRecord r;
    r.name = fmt::format("run-{}", i);
    r.folder = plan.folder + "/" + r.name;
    std::vector<std::string> args = plan.child_args;
    args.insert(args.end(), {"--run-folder", r.folder});
    if (!plan.eal_extra.empty()) {
      args.push_back("--");
      args.insert(args.end(), plan.eal_extra.begin(), plan.eal_extra.end());
    }
    const std::string prefix = fmt::format("[{}] ", r.name);
    const ChildRun child = run_child(args, [&](std::string_view line) {
      if (plan.echo) {
        fmt::print("{}{}\n", prefix, line);
        std::fflush(stdout);
      }
    });
    r.exit_code = child.exit_code;
    if (!child.report_dir.empty()) r.folder = child.report_dir;
    read_summary(r, child.exit_code);
    // The child's own output, next to its summary (or next to where it would have been).
    std::error_code ec;
    std::filesystem::create_directories(r.folder, ec);
    write_file(r.folder, "output.log", child.output);
    if (plan.progress_done != nullptr) ++*plan.progress_done;
    if (child.exit_code == 2) out.bad_input = true;
    if (!r.completed && child.exit_code != 0) out.any_failed = true;
    if (!plan.echo || !r.completed) {
      const std::string where =
          plan.progress_done != nullptr ? fmt::format("[{}/{}] ", *plan.progress_done, plan.progress_total) : "";
      fmt::print("{}\n", report::format_run_line(where, plan.label, r));
      if (child.exit_code != 0 && !plan.echo) fmt::print("{}", child.output.substr(child.output.size() > 2000 ? child.output.size() - 2000 : 0));
      std::fflush(stdout);
    }
    out.runs.push_back(std::move(r));
    if (const int sig = ChildSignals::received(); sig != 0) out.signal = sig;
    write_aggregate(plan, out);
    if (out.bad_input || out.signal != 0) break;
  }
  if (out.runs.empty()) write_aggregate(plan, out);
  return out;
}

}  // namespace tickpath::platform
