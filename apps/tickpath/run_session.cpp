// drive_run(): everything a run does after its typed pipeline is built, compiled once. Order of
// destruction matters: the control plane (HTTP, telemetry) stops after the report is written;
// the pipeline (owned by the caller) outlives all of it.
#include "apps/tickpath/run_session.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "apps/tickpath/cli_error.hpp"
#include "platform/uring/run_files.hpp"
#include "platform/uring/run_journal.hpp"
#include "platform/systemd/service_notifier.hpp"
#include "control/plane/control_plane.hpp"
#include "platform/dpdk/eal.hpp"
#include "platform/dpdk/nic_clock.hpp"
#include "platform/dpdk/telemetry.hpp"
#include "platform/http/http_transport.hpp"
#include "platform/topology/thread.hpp"
#include "report/floor_lines.hpp"
#include "report/run_report.hpp"
#include "runtime/readiness.hpp"
#include "runtime/run_timer.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::app {
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
  std::vector<platform::RunFile> files;
  for (report::NamedText& f : std::get<std::vector<report::NamedText>>(rendered)) {
    files.push_back({std::move(f.name), std::move(f.content)});
  }
  return platform::write_run_files(dir, files).errors;
}

control::NicCounters nic_counters(const platform::Port& port) {
  const platform::PortStats st = port.stats();
  return control::NicCounters{st.ipackets, st.imissed, st.ierrors, st.rx_nombuf};
}

control::Observables observe(const RunContext& ctx, const RunningPipeline& pipeline) {
  control::Observables observed;
  pipeline.observe(observed);
  observed.calibration = ctx.calibration;
  observed.analytics_enabled = ctx.config->analytics.enabled;
  observed.lines = ctx.lines.get();
  observed.line_skew = ctx.line_skew.get();
  if (const platform::Port* b = ctx.port_b) observed.nic_b = [b] { return nic_counters(*b); };
  const platform::Port* port = ctx.port;
  observed.nic = [port] { return nic_counters(*port); };
  return observed;
}

control::ControlPlaneSettings control_settings(const RunContext& ctx) {
  const config::Config& c = *ctx.config;
  control::ControlPlaneSettings cps;
  cps.http_listen = c.http.listen;
  cps.automation = c.automation.enabled;
  cps.thresholds.stale_after_s = static_cast<double>(c.health.stale_after_ms) / 1000.0;
  cps.thresholds.max_lag_events = c.health.max_lag_events != 0 ? c.health.max_lag_events : c.ring.capacity;
  cps.thresholds.max_line_skew_ns = c.health.max_line_skew_us * 1e3;
  return cps;
}

// The operator interfaces the control plane serves its snapshot through: DPDK telemetry, then
// HTTP (started in that order, stopped in reverse).
std::vector<std::unique_ptr<control::Transport>> transports(const RunContext& ctx) {
  platform::HttpOptions http;
  http.cpu = ctx.plan.housekeeping_cpu;
  http.bearer_token = ctx.http_token;
  http.limits.idle_timeout_s = ctx.config->http.idle_timeout_s;
  std::vector<std::unique_ptr<control::Transport>> out;
  out.push_back(std::make_unique<platform::TelemetryTransport>());
  out.push_back(std::make_unique<platform::HttpTransport>(ctx.config->http.listen, std::move(http)));
  return out;
}

// The facts only known once the pipeline drained: readiness, pin errors, the clocks' drift.
void add_end_facts(RunContext& ctx, const RunningPipeline& pipeline, const platform::ServiceNotifier& service) {
  nlohmann::json& platform = ctx.facts.platform;
  const runtime::Readiness readiness = runtime::evaluate_readiness(pipeline.lifecycle().current(), ctx.port->link_up());
  platform["readiness"] = {{"ready", readiness.ready}, {"reason", readiness.reason}};
  platform["pin_errors"] = pipeline.pin_errors();
  platform["wall_clock"] = runtime::wall_clock_facts(ctx.wall_clock, ctx.calibration);
  runtime::add_drift(platform["clock"], ctx.clock_proof);
  platform["clock"]["nic"] = platform::nic_clock_drift(*ctx.port, ctx.nic_clock, ctx.calibration);
  platform["systemd_notify"] = {{"active", service.active()}, {"errors", service.errors()}};
}

// Which idle strategy each loop ran, and the failure schedule's edges as applied.
void add_pipeline_facts(nlohmann::json& summary, const RunningPipeline& pipeline, bool analytics) {
  const std::string_view hot = pipeline.hot_idle_name();
  const std::string_view housekeeping = pipeline.analytics_idle_name();
  summary["platform"]["idle"] = {{"ingest", hot}, {"execution", hot},
                                 {"analytics", analytics ? nlohmann::json(housekeeping) : nlohmann::json(nullptr)}};
  for (nlohmann::json& c : summary["consumers"]) c["idle"] = c["name"] == "analytics" ? housekeeping : hot;
  summary["failure"] = {{"schedule", control::to_json(pipeline.schedule_edges())}};
}

}  // namespace

std::vector<control::ScheduleWindow> schedule_windows(const config::Config& config) {
  std::vector<control::ScheduleWindow> out;
  for (const auto& w : config.failure.schedule) out.push_back({*control::parse_scenario(w.scenario), w.at_event, w.for_events});
  return out;
}

std::string pin_and_name(int cpu, const char* name, runtime::ThreadRole role) {
  platform::name_current_thread(name);
  if (auto error = platform::pin_current_thread(cpu)) return fmt::format("{}: {}", name, *error);
  // Hot threads receive and free mbufs: with an lcore id they get the mempool's per-lcore cache.
  if (role == runtime::ThreadRole::hot) {
    if (std::string error = platform::Eal::register_thread(); !error.empty()) return fmt::format("{}: {}", name, error);
  }
  return {};
}

int drive_run(RunContext& ctx, RunningPipeline& pipeline) {
  const config::Config& c = *ctx.config;
  control::Observables observed = observe(ctx, pipeline);
  pipeline.start_ack_log({ctx.report_dir, ctx.plan.housekeeping_cpu, ctx.calibration.hz(), ctx.facts.start_tsc}, observed);
  const platform::Port* port = ctx.port;
  control::ControlPlane control(observed, pipeline.failures(), [port] { return port->link_up(); }, control_settings(ctx));
  if (std::string error = control.start(transports(ctx)); !error.empty()) return fail(1, error);
  if (control.http_port() != 0) fmt::print("http: listening on {} (port {})\n", c.http.listen, control.http_port());
  platform::RunJournal journal(ctx.report_dir);  // the folder stays readable if the run is killed

  std::atomic<bool> stop{false};
  const runtime::ThreadPlacement where{ctx.plan.ingest_cpu, ctx.plan.execution_cpu, ctx.plan.housekeeping_cpu};
  const std::uint64_t limit = c.run.events == 0 ? UINT64_MAX : c.run.events;
  const runtime::PinFunction pin = pin_and_name;
  const auto started = Clock::now();
  pipeline.start(where, pin, stop, limit, c.analytics.enabled, c.cores.housekeeping_idle);
  // sd_notify; no-op without NOTIFY_SOCKET
  platform::ServiceNotifier service(pipeline.lifecycle(), pipeline.counters(), ctx.plan.hot_shared);

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
      journal.record(control, provisional_summary(build_summary(observed, ctx.facts), control));
      fmt::print("{}\n", control.live_line());
      if (const control::ControlPlane::LastInterval last = control.last_interval(); last.timeline_entry != nullptr) {
        const nlohmann::json& entry = *last.timeline_entry;
        service.interval(now, entry["events_per_s"].get<double>());
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

  ctx.facts.duration_s = duration;
  ctx.facts.stop_reason = reason;
  ctx.facts.signal = runtime::ShutdownSignals::signal_number();
  add_end_facts(ctx, pipeline, service);
  nlohmann::json summary = build_summary(observed, ctx.facts);
  add_pipeline_facts(summary, pipeline, c.analytics.enabled);
  summary["control"] = control.summary();

  // The report: every data file first (rendered from the summary as it stands), then
  // summary.json carrying their errors. A failed file never fails the run: exit 3 says "run
  // completed, report incomplete", stderr names the file.
  std::vector<std::string> report_errors = pipeline.finish_ack_log(summary);
  if (!journal.errors().empty()) report_errors.push_back("timeline.csv, latency.hlog: incomplete: " + journal.errors().front());
  for (std::string& e : write_run_report(ctx.report_dir, summary, control)) report_errors.push_back(std::move(e));
  summary["report"] = {{"dir", ctx.report_dir}, {"writer", "io_uring"}, {"errors", report_errors}};
  summary["report"]["journal_errors"] = journal.errors();
  if (std::string error = write_summary(ctx.report_dir, summary); !error.empty()) report_errors.push_back(error);
  // HTTP and telemetry stay up until the report is on disk: /health keeps answering (with the
  // drained verdict) while a long run's report is written, instead of looking like a dead process.
  control.stop();
  fmt::print("{}", format_final_table(summary));
  fmt::print("{}", report::format_floor(summary));
  fmt::print("report: {}\n", ctx.report_dir);
  std::fflush(stdout);
  if (report_errors.empty()) return 0;
  print_report_errors(report_errors);
  fmt::print(stderr, "tickpath: the run completed; its report in {} is incomplete (exit {})\n", ctx.report_dir,
             kExitReportIncomplete);
  return kExitReportIncomplete;
}

}  // namespace tickpath::app
