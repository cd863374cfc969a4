#include "platform/run/run_session.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "control/plane/control_plane.hpp"
#include "platform/run/run_settings.hpp"
#include "platform/systemd/service_notifier.hpp"
#include "platform/uring/run_files.hpp"
#include "platform/uring/run_journal.hpp"
#include "report/final_table.hpp"
#include "report/floor_lines.hpp"
#include "report/run_report.hpp"
#include "runtime/readiness.hpp"
#include "runtime/run_clock.hpp"
#include "runtime/run_timer.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::platform {
namespace {

using Clock = std::chrono::steady_clock;

// latency.hgrm and report.html beside summary.json, rendered from the timeline.csv and
// latency.hlog the journal left in the folder; one error per file not written (or the renderer's).
std::vector<std::string> write_run_report(const std::string& dir, const nlohmann::json& summary,
                                          const control::ControlPlane& control) {
  report::RunReportInput input;
  input.title = std::filesystem::path(dir).filename().string();
  input.summary = summary;
  input.totals = control.final_latency();
  auto rendered = report::render_run_report_from_folder(dir, std::move(input));
  if (auto* error = std::get_if<std::string>(&rendered)) return {"report: " + *error};
  std::vector<RunFile> files;
  for (report::NamedText& f : std::get<std::vector<report::NamedText>>(rendered)) {
    files.push_back({std::move(f.name), std::move(f.content)});
  }
  return write_run_files(dir, files).errors;
}

// The facts only known once the pipeline drained: readiness, pin errors, the clocks' drift.
void add_end_facts(RunSession& s, const control::RunningPipeline& pipeline, const ServiceNotifier& service) {
  nlohmann::json& platform = s.facts.platform;
  const runtime::Readiness readiness = runtime::evaluate_readiness(pipeline.lifecycle().current(), s.link_up());
  platform["readiness"] = {{"ready", readiness.ready}, {"reason", readiness.reason}};
  platform["pin_errors"] = pipeline.pin_errors();
  platform["wall_clock"] = runtime::wall_clock_facts(s.wall_clock, s.clock_proof.calibration);
  runtime::add_drift(platform["clock"], s.clock_proof);
  platform["clock"]["nic"] = s.nic_clock_drift ? s.nic_clock_drift() : nlohmann::json(nullptr);
  platform["systemd_notify"] = {{"active", service.active()}, {"errors", service.errors()}};
}

// Which idle strategy each loop ran, and the failure schedule's edges as applied.
void add_pipeline_facts(nlohmann::json& summary, const control::RunningPipeline& pipeline, bool analytics) {
  const std::string_view hot = pipeline.hot_idle_name();
  const std::string_view housekeeping = pipeline.analytics_idle_name();
  summary["platform"]["idle"] = {{"ingest", hot}, {"execution", hot},
                                 {"analytics", analytics ? nlohmann::json(housekeeping) : nlohmann::json(nullptr)}};
  for (nlohmann::json& c : summary["consumers"]) c["idle"] = c["name"] == "analytics" ? housekeeping : hot;
  summary["failure"] = {{"schedule", control::to_json(pipeline.schedule_edges())}};
}

// summary.json through the io_uring writer; the error ("summary.json: write: ...") or empty.
std::string write_summary(const std::string& dir, const nlohmann::json& summary) {
  const RunFilesResult r = write_run_files(dir, {RunFile{"summary.json", summary.dump(2) + "\n"}});
  return r.errors.empty() ? std::string() : r.errors.front();
}

}  // namespace

SessionEnd run_session(RunSession& s, control::RunningPipeline& pipeline) {
  const config::Config& c = *s.config;
  control::Observables& observed = s.observed;
  pipeline.observe(observed);
  pipeline.start_ack_log(observed);
  control::ControlPlane control(observed, pipeline.failures(), s.link_up, control_settings(c));
  if (std::string error = control.start(std::move(s.transports)); !error.empty()) return {error, {}};
  if (control.http_port() != 0) fmt::print("http: listening on {} (port {})\n", c.http.listen, control.http_port());
  RunJournal journal(s.report_dir);  // the folder stays readable if the run is killed

  std::atomic<bool> stop{false};
  const auto started = Clock::now();
  pipeline.start(s.where, s.pin, stop);
  ServiceNotifier service(pipeline.lifecycle(), pipeline.counters(), s.hot_shared);  // sd_notify; no-op without NOTIFY_SOCKET

  // The control loop, on the housekeeping cpu (the main thread is the EAL's main lcore).
  runtime::RunTimer timer(started, std::chrono::milliseconds(c.run.stats_interval_ms), c.run.duration_s, c.run.events != 0);
  std::string reason = "duration";
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto now = Clock::now();
    service.poll(now);
    if (runtime::ShutdownSignals::stop_requested()) {
      reason = "signal";
      break;
    }
    if (pipeline.ingest_done()) {
      reason = "events";
      break;
    }
    if (timer.interval_due(now)) {
      for (const std::string& line : control.tick(timer.uptime_s(now))) fmt::print("{}\n", line);
      journal.record(control, control::provisional_summary(control::build_summary(observed, s.facts, s.build), control));
      fmt::print("{}\n", control.live_line());
      if (const control::ControlPlane::LastInterval last = control.last_interval(); last.timeline_entry != nullptr) {
        service.interval(now, (*last.timeline_entry)["events_per_s"].get<double>());
      }
      std::fflush(stdout);
    }
    if (timer.past_deadline(now)) break;
  }
  service.stopping();
  // relaxed: `stop` carries no data; the drain protocol orders the rest (runtime/loops.hpp).
  stop.store(true, std::memory_order_relaxed);
  pipeline.join();
  const double duration = std::chrono::duration<double>(Clock::now() - started).count();
  control.finish(duration);  // the drained tail: last timeline interval, last hlog lines
  journal.finish(control);   // ...appended: timeline.csv and latency.hlog are now final

  s.facts.duration_s = duration;
  s.facts.stop_reason = reason;
  s.facts.signal = runtime::ShutdownSignals::signal_number();
  add_end_facts(s, pipeline, service);
  nlohmann::json summary = control::build_summary(observed, s.facts, s.build);
  add_pipeline_facts(summary, pipeline, c.analytics.enabled);
  summary["control"] = control.summary();

  // The report: every data file first (rendered from the summary as it stands), then
  // summary.json carrying their errors. A failed file never fails the run: the caller's exit 3
  // says "run completed, report incomplete".
  SessionEnd end;
  std::vector<std::string>& report_errors = end.report_errors;
  report_errors = pipeline.finish_ack_log(summary);
  if (!journal.errors().empty()) report_errors.push_back("timeline.csv, latency.hlog: incomplete: " + journal.errors().front());
  for (std::string& e : write_run_report(s.report_dir, summary, control)) report_errors.push_back(std::move(e));
  summary["report"] = {{"dir", s.report_dir}, {"writer", "io_uring"}, {"errors", report_errors}};
  summary["report"]["journal_errors"] = journal.errors();
  if (std::string error = write_summary(s.report_dir, summary); !error.empty()) report_errors.push_back(error);
  // HTTP and telemetry stay up until the report is on disk: /health keeps answering (with the
  // drained verdict) while a long run's report is written, instead of looking like a dead process.
  control.stop();
  fmt::print("{}", report::format_final_table(summary));
  fmt::print("{}", report::format_floor(summary));
  fmt::print("report: {}\n", s.report_dir);
  std::fflush(stdout);
  return end;
}

}  // namespace tickpath::platform
