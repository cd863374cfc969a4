// `tickpath run`: resolve settings (exit 2 on bad input), plan cores, decide hugepages, start the
// EAL and the port, place the ring, start the pipeline, report once per interval, stop on
// duration / event limit / signal, drain, write the summary (exit 0).
//
// Order of destruction matters and is the reverse of declaration below: threads are joined
// before the pipeline dies, the pipeline before the ring memory, the memory (rte_free) and the
// port before the EAL is cleaned up.
#include "apps/tickpath/run_command.hpp"
#include "apps/tickpath/cli_error.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "apps/tickpath/ack_log_run.hpp"
#include "apps/tickpath/pipeline.hpp"
#include "apps/tickpath/preflight.hpp"
#include "apps/tickpath/report_dir.hpp"
#include "apps/tickpath/run_clock.hpp"
#include "apps/tickpath/run_files.hpp"
#include "apps/tickpath/service_notifier.hpp"
#include "apps/tickpath/settings.hpp"
#include "apps/tickpath/run_journal.hpp"
#include "apps/tickpath/summary.hpp"
#include "control/metrics/line_skew.hpp"
#include "control/plane/control_plane.hpp"
#include "core/ingest/arbitrated_decoder.hpp"
#include "core/ingest/line_pair_source.hpp"
#include "core/ingest/moldudp64.hpp"
#include "core/ingest/synthetic_source.hpp"
#include "platform/dpdk/eal.hpp"
#include "platform/dpdk/eal_args.hpp"
#include "platform/dpdk/rx_source.hpp"
#include "platform/dpdk/telemetry.hpp"
#include "platform/http/http_transport.hpp"
#include "platform/memory/ring_memory.hpp"
#include "platform/topology/core_plan.hpp"
#include "platform/topology/format.hpp"
#include "platform/topology/machine.hpp"
#include "platform/topology/thread.hpp"
#include "report/run_report.hpp"
#include "runtime/readiness.hpp"
#include "runtime/shutdown.hpp"

namespace tickpath::app {
namespace {

using Clock = std::chrono::steady_clock;

// One paired read of (TSC, CLOCK_REALTIME): the TSC read on both sides of clock_gettime, the
// narrowest of a few tries kept, the midpoint taken as the TSC of that instant. CLOCK_REALTIME is
// NTP/PTP-slewed, so over a run it drifts from any fixed map (measured at the end: platform.wall_clock).
struct WallClockPair {
  std::uint64_t realtime_ns = 0;
  core::Ticks tsc = 0;
  core::Ticks window = 0;  // TSC ticks the clock_gettime took: the pair's uncertainty
};

WallClockPair read_wall_clock_pair() {
  WallClockPair best;
  for (int i = 0; i < 16; ++i) {
    timespec ts{};
    const core::Ticks before = core::tsc_now();
    ::clock_gettime(CLOCK_REALTIME, &ts);
    const core::Ticks after = core::tsc_now();
    if (i == 0 || after - before < best.window) {
      best.window = after - before;
      best.tsc = before + (after - before) / 2;
      best.realtime_ns = static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<std::uint64_t>(ts.tv_nsec);
    }
  }
  return best;
}

// Everything built before the threads start, shared by every (Source, Decoder, Idle) variant.
struct RunContext {
  const AppSettings* settings = nullptr;
  platform::CorePlan plan;
  core::BroadcastRing<core::Event>* ring = nullptr;
  platform::Port* port = nullptr;
  platform::Port* port_b = nullptr;  // ingest.lines: line B's port; nullptr with one line
  std::unique_ptr<core::ArbiterCounters> lines;          // with two lines
  std::unique_ptr<control::LineSkewHistograms> line_skew;  // with two lines
  core::TscCalibration calibration;
  core::CalibrationResult clock_proof;  // prove_tsc(): the rate, its bound, the pairs drift is measured from
  control::NicClockMap nic_clock;  // valid only when the port stamps rx and its clock can be read
  control::WallClockMap wall_clock;  // valid only with ingest.wall_clock_latency
  WallClockPair wall_clock_first;    // step 6's paired read: the map's rate starts here
  RunFacts facts;
  std::string report_dir;
};

std::string pin_and_name(int cpu, const char* name) {
  platform::name_current_thread(name);
  if (auto error = platform::pin_current_thread(cpu)) return fmt::format("{}: {}", name, *error);
  // Hot threads receive and free mbufs: with an lcore id they get the mempool's per-lcore cache.
  if (std::string_view(name).find("pmd") != std::string_view::npos) {
    if (std::string error = platform::Eal::register_thread(); !error.empty()) return fmt::format("{}: {}", name, error);
  }
  return {};
}

// latency.hgrm/.hlog, timeline.csv, report.html beside summary.json; one error per file not
// written (or the renderer's error).
std::vector<std::string> write_run_report(const std::string& dir, const nlohmann::json& summary,
                                          const control::ControlPlane& control) {
  report::RunReportInput input;
  input.title = std::filesystem::path(dir).filename().string();
  input.summary = summary;
  input.hlog = control.hlog();
  input.totals = control.final_latency();
  auto rendered = report::render_run_report(input);
  if (auto* error = std::get_if<std::string>(&rendered)) return {"report: " + *error};
  std::vector<RunFile> files;
  for (report::NamedText& f : std::get<std::vector<report::NamedText>>(rendered)) {
    files.push_back({std::move(f.name), std::move(f.content)});
  }
  return write_run_files(dir, files).errors;
}

template <class Sink>
const control::MetricsSink* histograms_of(const Sink& sink) {
  if constexpr (std::is_same_v<Sink, control::MetricsSink>) {
    return &sink;
  } else if constexpr (IsAckLog<Sink>::value) {
    return histograms_of(sink.inner());
  } else {
    return nullptr;
  }
}

// The analytics consumer's loop for cores.housekeeping_idle, and the name of the strategy it was
// compiled with (summary.json records the type that ran, not the config word).
template <class P>
std::pair<typename P::AnalyticsRunner, std::string_view> analytics_idle(HousekeepingIdleKind kind) {
  switch (kind) {
    case HousekeepingIdleKind::spin: return {&P::template run_analytics<runtime::SpinIdle>, runtime::SpinIdle::kName};
    case HousekeepingIdleKind::pause: return {&P::template run_analytics<runtime::PauseIdle>, runtime::PauseIdle::kName};
    case HousekeepingIdleKind::backoff: break;
  }
  return {&P::template run_analytics<runtime::BackoffIdle>, runtime::BackoffIdle::kName};
}

// Start-up: the sink, built once with what it needs: the ack log's queue size, the NIC clock map
// the metrics sink turns NIC rx timestamps with.
template <class Sink>
std::unique_ptr<Sink> make_sink(const AppSettings& s, const control::NicClockMap& nic_clock,
                                const control::WallClockMap& wall_clock) {
  if constexpr (std::is_same_v<Sink, control::MetricsSink>) {
    return std::make_unique<Sink>(control::HistogramConfig{}, nic_clock, wall_clock);
  } else if constexpr (std::is_same_v<Sink, core::AckLogSink<control::MetricsSink>>) {
    return std::make_unique<Sink>(s.ack_queue, std::in_place, control::HistogramConfig{}, nic_clock, wall_clock);
  } else if constexpr (IsAckLog<Sink>::value) {
    return std::make_unique<Sink>(s.ack_queue);
  } else {
    return std::make_unique<Sink>();
  }
}

// Maps the NIC's timestamp clock onto the TSC from two paired reads 50 ms apart (the rate) and
// the later pair (the offset). A NIC clock drifting against the TSC adds error proportional to
// the run's length; PTP-disciplined NIC clocks drift by parts per million.
// The map's rate comes from two pairs: `first` taken at step 6, the second here, just before the
// sink is built (preflight lies between: a few hundred ms). The TSC calibration's own rate (100 ms
// against CLOCK_MONOTONIC on a busy machine) was tens of ppm off CLOCK_REALTIME here: hundreds of
// microseconds over a 10 s run, more than a veth hop. Falls back to the calibration's rate when
// the pairs are too close.
control::WallClockMap measure_wall_clock(const WallClockPair& first, const core::TscCalibration& calibration) {
  control::WallClockMap map;
  if (!core::kClockIsTsc || calibration.hz() <= 0 || first.realtime_ns == 0) return map;
  const WallClockPair p = read_wall_clock_pair();
  map.valid = true;
  map.realtime_base_ns = p.realtime_ns;
  map.tsc_base = p.tsc;
  const std::uint64_t span_ns = p.realtime_ns - first.realtime_ns;
  map.ticks_per_ns = span_ns >= 50'000'000 && p.tsc > first.tsc
                         ? static_cast<double>(p.tsc - first.tsc) / static_cast<double>(span_ns)
                         : calibration.hz() / 1e9;
  return map;
}

// summary.json platform.wall_clock: how far the start-up map has drifted from a fresh paired read
// at the end of the run, i.e. the error the map itself adds to every wall_to_ack sample by then.
nlohmann::json wall_clock_facts(const control::WallClockMap& map, const core::TscCalibration& calibration) {
  if (!map.valid) return {{"enabled", false}};
  const WallClockPair end = read_wall_clock_pair();
  // Positive: at the end, CLOCK_REALTIME is ahead of what the map predicts for this TSC.
  const double predicted_ns = static_cast<double>(static_cast<std::int64_t>(end.tsc - map.tsc_base)) / map.ticks_per_ns;
  const double actual_ns = static_cast<double>(static_cast<std::int64_t>(end.realtime_ns - map.realtime_base_ns));
  const double drift_ns = actual_ns - predicted_ns;
  return {{"enabled", true},
          {"map_taken_at_ns", map.realtime_base_ns},
          {"map_window_ns", calibration.to_ns(end.window)},
          {"elapsed_s", actual_ns / 1e9},
          {"drift_ns_at_end", drift_ns},
          {"drift_ppm", actual_ns > 0 ? drift_ns / actual_ns * 1e6 : 0.0},
          {"note", "wall_to_ack = ack (TSC mapped to CLOCK_REALTIME at start-up) - sender's send_ns; its error "
                   "is this drift plus, across hosts, the PTP offset between the two hosts' clocks"}};
}

template <core::FrameSource Source, class Decoder, class Idle, core::ObservabilitySink Sink>
int run_pipeline(RunContext& ctx, Source& source, Decoder& decoder) {
  const AppSettings& s = *ctx.settings;
  core::Lifecycle lifecycle;
  if (s.wall_clock_latency) ctx.wall_clock = measure_wall_clock(ctx.wall_clock_first, ctx.calibration);
  std::unique_ptr<Sink> sink_storage = make_sink<Sink>(s, ctx.nic_clock, ctx.wall_clock);
  Sink& sink = *sink_storage;
  control::AnalyticsHandler analytics;
  auto counters = std::make_unique<PipelineCounters>();
  runtime::WarmupController warmup(lifecycle, s.warmup_steps);
  control::FailureInjector failures(lifecycle);
  control::FailureSchedule schedule(failures, s.failure_schedule);

  ctx.facts.start_tsc = core::tsc_now();
  if (auto r = warmup.start(); !r) return fail(1, r.error().message());
  auto pipeline = std::make_unique<Pipeline<Source, Decoder, Sink, Idle>>(
      *ctx.ring, source, decoder, sink, lifecycle, warmup, schedule, analytics, *counters, s.burst);

  Observables observed;
  observed.counters = counters.get();
  observed.sink = histograms_of(sink);
  observed.analytics = &analytics;
  observed.lifecycle = &lifecycle;
  observed.calibration = ctx.calibration;
  observed.analytics_enabled = s.analytics;
  observed.lines = ctx.lines.get();
  observed.line_skew = ctx.line_skew.get();
  if (platform::Port* b = ctx.port_b) {
    observed.nic_b = [b] {
      const platform::PortStats st = b->stats();
      return NicCounters{st.ipackets, st.imissed, st.ierrors, st.rx_nombuf};
    };
  }
  platform::Port* port = ctx.port;
  observed.nic = [port] {
    const platform::PortStats st = port->stats();
    return NicCounters{st.ipackets, st.imissed, st.ierrors, st.rx_nombuf};
  };
  AckLogRun<Sink> ack_log;
  ack_log.start(sink, {ctx.report_dir, ctx.plan.housekeeping_cpu, ctx.calibration.hz(), ctx.facts.start_tsc}, observed);
  control::ControlPlaneSettings cps;
  cps.http_listen = s.http_listen;
  cps.automation = s.automation;
  cps.thresholds.stale_after_s = s.stale_after_s;
  cps.thresholds.max_lag_events = s.max_lag_events != 0 ? s.max_lag_events : s.ring_capacity;
  cps.thresholds.max_line_skew_ns = s.max_line_skew_ns;
  control::ControlPlane control(observed, failures, [port] { return port->link_up(); }, cps);
  platform::HttpOptions http;
  http.cpu = ctx.plan.housekeeping_cpu;
  http.bearer_token = s.http_token;
  http.limits.idle_timeout_s = s.http_idle_timeout_s;
  std::vector<std::unique_ptr<control::Transport>> transports;
  transports.push_back(std::make_unique<platform::TelemetryTransport>());
  transports.push_back(std::make_unique<platform::HttpTransport>(s.http_listen, std::move(http)));
  if (std::string error = control.start(std::move(transports)); !error.empty()) return fail(1, error);
  if (control.http_port() != 0) fmt::print("http: listening on {} (port {})\n", s.http_listen, control.http_port());
  RunJournal journal(ctx.report_dir);  // the folder stays readable if the run is killed

  std::atomic<bool> stop{false};
  const ThreadPlacement where{ctx.plan.ingest_cpu, ctx.plan.execution_cpu, ctx.plan.housekeeping_cpu};
  const std::uint64_t limit = s.events == 0 ? UINT64_MAX : s.events;
  const PinFunction pin = pin_and_name;
  const auto started = Clock::now();
  const auto [analytics_runner, analytics_idle_name] =
      analytics_idle<Pipeline<Source, Decoder, Sink, Idle>>(s.housekeeping_idle);
  pipeline->start(where, pin, stop, limit, s.analytics, analytics_runner);
  ServiceNotifier service(lifecycle, *counters, ctx.plan.hot_shared);  // sd_notify; no-op without NOTIFY_SOCKET

  // The control loop, on the housekeeping cpu (the main thread is the EAL's main lcore).
  const auto interval = std::chrono::milliseconds(s.stats_interval_ms);
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s.duration_s));
  auto next_line = started + interval;
  std::string reason = "duration";
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const auto now = Clock::now();
    service.poll(now);
    if (runtime::ShutdownSignals::stop_requested()) {
      reason = "signal";
      break;
    }
    if (pipeline->ingest_done()) {
      reason = "events";
      break;
    }
    if (now >= next_line) {
      const double uptime = std::chrono::duration<double>(now - started).count();
      for (const std::string& line : control.tick(uptime)) fmt::print("{}\n", line);
      journal.record(control, provisional_summary(build_summary(observed, ctx.facts), control));
      fmt::print("{}\n", control.live_line());
      if (const control::ControlPlane::LastInterval last = control.last_interval(); last.timeline_entry != nullptr) {
        const nlohmann::json& entry = *last.timeline_entry;
        service.interval(now, entry["state"].get<std::string>(), entry["events_per_s"].get<double>());
      }
      std::fflush(stdout);
      next_line += interval;
    }
    if (s.events == 0 && now >= deadline) break;
  }
  service.stopping();
  // relaxed: `stop` carries no data; the drain protocol orders the rest (runtime/loops.hpp).
  stop.store(true, std::memory_order_relaxed);
  pipeline->join();
  const double duration = std::chrono::duration<double>(Clock::now() - started).count();
  control.finish(duration);  // the drained tail: last timeline interval, last hlog lines
  journal.close();  // the final files replace the journal's (each written new, then renamed)

  ctx.facts.duration_s = duration;
  ctx.facts.stop_reason = reason;
  ctx.facts.signal = runtime::ShutdownSignals::signal_number();
  const runtime::Readiness readiness = runtime::evaluate_readiness(lifecycle.current(), port->link_up());
  ctx.facts.platform["readiness"] = {{"ready", readiness.ready}, {"reason", readiness.reason}};
  ctx.facts.platform["pin_errors"] = pipeline->pin_errors();
  ctx.facts.platform["wall_clock"] = wall_clock_facts(ctx.wall_clock, ctx.calibration);
  add_drift(ctx.facts.platform["clock"], ctx.clock_proof);
  ctx.facts.platform["clock"]["nic"] = nic_clock_drift(*port, ctx.nic_clock, ctx.calibration);
  ctx.facts.platform["systemd_notify"] = {{"active", service.active()}, {"errors", service.errors()}};
  nlohmann::json summary = build_summary(observed, ctx.facts);
  // Which idle strategy each loop ran (Idle is the type the hot loops were compiled with).
  summary["platform"]["idle"] = {{"ingest", Idle::kName}, {"execution", Idle::kName},
                                 {"analytics", s.analytics ? nlohmann::json(analytics_idle_name) : nlohmann::json(nullptr)}};
  for (nlohmann::json& c : summary["consumers"]) {
    c["idle"] = c["name"] == "analytics" ? analytics_idle_name : Idle::kName;
  }
  nlohmann::json edges = nlohmann::json::array();
  for (const control::ScheduleEdge& e : schedule.edges()) {
    edges.push_back({{"scenario", std::string(control::to_string(e.scenario))},
                     {"action", e.activate ? "activate" : "deactivate"},
                     {"at_event", e.at},
                     {"applied", e.applied},
                     {"applied_at_event", e.applied_at},
                     {"ok", e.ok}});
  }
  summary["failure"] = {{"schedule", edges}};
  summary["control"] = control.summary();

  // The report: every data file first (rendered from the summary as it stands), then
  // summary.json carrying their errors. A failed file never fails the run: exit 3 says "run
  // completed, report incomplete", stderr names the file.
  std::vector<std::string> report_errors = ack_log.finish(sink, summary);
  for (std::string& e : write_run_report(ctx.report_dir, summary, control)) report_errors.push_back(std::move(e));
  summary["report"] = {{"dir", ctx.report_dir}, {"writer", "io_uring"}, {"errors", report_errors}};
  summary["report"]["journal_errors"] = journal.errors();
  if (std::string error = write_summary(ctx.report_dir, summary); !error.empty()) report_errors.push_back(error);
  // HTTP and telemetry stay up until the report is on disk: /health keeps answering (with the
  // drained verdict) while a long run's report is written, instead of looking like a dead process.
  control.stop();
  fmt::print("{}", format_final_table(summary));
  fmt::print("{}", format_floor(summary));
  fmt::print("report: {}\n", ctx.report_dir);
  std::fflush(stdout);
  if (report_errors.empty()) return 0;
  print_report_errors(report_errors);
  fmt::print(stderr, "tickpath: the run completed; its report in {} is incomplete (exit {})\n", ctx.report_dir,
             kExitReportIncomplete);
  return kExitReportIncomplete;
}

// The sink is chosen here, once (observability.sink): the executor is compiled for it, so no
// event ever asks whether observability is on.
// report.ack_log wraps the chosen sink in the ack log's tee, also once, here.
template <core::FrameSource Source, class Decoder, class Idle>
int with_sink(RunContext& ctx, Source& source, Decoder& decoder) {
  const AppSettings& s = *ctx.settings;
  if (s.ack_log && s.metrics_sink) {
    return run_pipeline<Source, Decoder, Idle, core::AckLogSink<control::MetricsSink>>(ctx, source, decoder);
  }
  if (s.ack_log) return run_pipeline<Source, Decoder, Idle, core::AckLogSink<core::NullSink>>(ctx, source, decoder);
  if (s.metrics_sink) return run_pipeline<Source, Decoder, Idle, control::MetricsSink>(ctx, source, decoder);
  return run_pipeline<Source, Decoder, Idle, core::NullSink>(ctx, source, decoder);
}

template <core::FrameSource Source, class Decoder>
int with_idle(RunContext& ctx, Source& source, Decoder& decoder) {
  if (ctx.settings->idle == HotIdleKind::spin) return with_sink<Source, Decoder, runtime::SpinIdle>(ctx, source, decoder);
  return with_sink<Source, Decoder, runtime::PauseIdle>(ctx, source, decoder);
}

// Pacing is a source wrapper chosen here, once: the unpaced loop has no pacing branch.
template <core::FrameSource Source, class Decoder>
int with_pacing(RunContext& ctx, Source& source, Decoder& decoder) {
  if (ctx.settings->rate_pps > 0) {
    core::PacedSource<Source> paced(source, ctx.settings->rate_pps, ctx.calibration.hz());
    return with_idle(ctx, paced, decoder);
  }
  return with_idle(ctx, source, decoder);
}

template <class Decoder>
int with_source(RunContext& ctx, Decoder& decoder) {
  platform::Port& port = *ctx.port;
  if (port.timestamp_offset() >= 0) {
    platform::DpdkRxSource<true> source(port.id(), 0, port.timestamp_offset(), port.timestamp_flag());
    return with_pacing(ctx, source, decoder);
  }
  platform::DpdkRxSource<false> source(port.id(), 0);
  return with_pacing(ctx, source, decoder);
}

// ingest.lines: both ports' rx queues behind one LinePairSource, and the arbitrating decoder;
// chosen here, once, so the single-line stage is compiled without either.
int with_two_lines(RunContext& ctx) {
  const AppSettings& s = *ctx.settings;
  ctx.lines = std::make_unique<core::ArbiterCounters>();
  ctx.line_skew = std::make_unique<control::LineSkewHistograms>();
  using Decoder = core::ArbitratedMoldUdp64Decoder<control::LineSkewHistograms>;
  auto decoder = std::make_unique<Decoder>(s.line_udp_ports, s.arbiter_window, *ctx.line_skew, *ctx.lines);
  platform::DpdkRxSource<false> a(ctx.port->id(), 0);
  platform::DpdkRxSource<false> b(ctx.port_b->id(), 0);
  core::LinePairSource<platform::DpdkRxSource<false>, platform::DpdkRxSource<false>> pair(a, b);
  return with_pacing(ctx, pair, *decoder);
}

int with_decoder(RunContext& ctx) {
  if (ctx.settings->two_lines) return with_two_lines(ctx);
  if (ctx.settings->format == Format::moldudp64) {
    core::MoldUdp64Decoder decoder(ctx.settings->udp_port);
    return with_source(ctx, decoder);
  }
  core::RawDecoder decoder;
  return with_source(ctx, decoder);
}

}  // namespace

int run_command(const RunOptions& options) {
  // 1. Settings: every key validated before anything starts.
  auto resolved = resolve_settings(options.config_path, options.overrides, &options);
  if (auto* error = std::get_if<std::string>(&resolved)) return fail(2, *error);
  const AppSettings& s = std::get<AppSettings>(resolved);

  // 2. Machine and core plan.
  const platform::Machine machine = platform::discover_machine();
  platform::CoreRequest request;
  request.ingest = s.ingest_cpu;
  request.execution = s.execution_cpu;
  request.housekeeping = s.housekeeping_cpu;
  request.require_isolated = s.require_isolated;
  request.nic_numa_node = s.pci.empty() ? -1 : platform::pci_numa_node(s.pci);
  auto planned = platform::plan_cores(machine, request);
  if (auto* error = std::get_if<std::string>(&planned)) return fail(2, *error);
  RunContext ctx;
  ctx.settings = &s;
  ctx.plan = std::get<platform::CorePlan>(planned);
  fmt::print("{}", platform::format_plan(ctx.plan));

  // 2b. The clock, proven before anything starts: invariant TSC and a bounded calibration.
  auto proven = prove_tsc();
  if (auto* error = std::get_if<std::string>(&proven)) return fail(2, *error);
  ctx.clock_proof = std::get<core::CalibrationResult>(proven);
  ctx.calibration = ctx.clock_proof.calibration;

  // 3. Hugepages, decided before the EAL (a failed rte_eal_init cannot be retried).
  const std::uint64_t ring_bytes = core::BroadcastRing<core::Event>::storage_bytes(s.ring_capacity);
  const auto decision = platform::decide_hugepages(
      s.hugepages, platform::probe_hugepages(),
      platform::eal_memory_needed(ring_bytes, s.two_lines ? 2 * s.port.mbufs : s.port.mbufs), s.memory_mb);
  if (!decision.error.empty()) return fail(1, decision.error);
  if (!decision.warning.empty()) fmt::print(stderr, "tickpath: {}\n", decision.warning);

  // 4. Report folder, before the EAL: an unwritable folder is found before anything runs. It was
  // named by the operator (--report-dir, --run-folder, report.dir): bad input, exit 2.
  const ReportDir folder = options.run_folder ? make_exact_report_dir(*options.run_folder) : make_report_dir(s.report_dir);
  if (!folder.error.empty()) return fail(2, folder.error);
  ctx.report_dir = folder.path;

  // 5. EAL, port, ring memory.
  platform::EalSettings eal_settings;
  eal_settings.file_prefix = s.file_prefix;
  eal_settings.config_args = s.eal_args;
  if (!s.line_b_vdev.empty()) eal_settings.config_args.push_back("--vdev=" + s.line_b_vdev);
  if (!s.line_b_pci.empty()) eal_settings.config_args.insert(eal_settings.config_args.end(), {"-a", s.line_b_pci});
  eal_settings.extra_args = options.eal_extra;
  eal_settings.main_cpu = ctx.plan.housekeeping_cpu;
  eal_settings.vdev = s.vdev;
  eal_settings.pci = s.pci;
  std::fflush(stdout);
  auto eal_started = platform::Eal::start(platform::build_eal_args(eal_settings, decision), {ctx.plan.housekeeping_cpu});
  if (auto* error = std::get_if<std::string>(&eal_started)) return fail(1, *error);
  std::unique_ptr<platform::Eal> eal = std::move(std::get<std::unique_ptr<platform::Eal>>(eal_started));
  // After the EAL: its init must not replace our handlers.
  runtime::ShutdownSignals::install();

  auto opened = platform::Port::open(s.port);
  if (auto* error = std::get_if<std::string>(&opened)) return fail(1, *error);
  std::unique_ptr<platform::Port> port = std::move(std::get<std::unique_ptr<platform::Port>>(opened));
  ctx.port = port.get();
  std::unique_ptr<platform::Port> port_b;
  if (s.two_lines) {
    auto opened_b = platform::Port::open(s.line_b_port);
    if (auto* error = std::get_if<std::string>(&opened_b)) return fail(1, "line B: " + *error);
    port_b = std::move(std::get<std::unique_ptr<platform::Port>>(opened_b));
    ctx.port_b = port_b.get();
  }

  const int node = port->numa_node();
  auto allocated = platform::RingMemory::allocate(ring_bytes, node, eal->has_hugepages());
  if (auto* error = std::get_if<std::string>(&allocated)) return fail(1, *error);
  std::unique_ptr<platform::RingMemory> memory = std::move(std::get<std::unique_ptr<platform::RingMemory>>(allocated));
  if (!memory->note().empty()) fmt::print(stderr, "tickpath: warning: {}\n", memory->note());
  using Slot = core::RingSlot<core::Event>;
  auto* slots = static_cast<Slot*>(memory->data());
  std::span<Slot> storage(slots, s.ring_capacity);
  for (Slot& slot : storage) new (&slot) Slot;  // atomics need construction; memory is prefaulted
  core::BroadcastRing<core::Event> ring(storage);
  ctx.ring = &ring;

  // 6. Facts known before the run.
  ctx.nic_clock = measure_nic_clock(*port);
  if (s.wall_clock_latency) ctx.wall_clock_first = read_wall_clock_pair();
  const platform::NicTimestampInfo& ts = port->timestamp_info();
  ctx.facts.config = s.effective_config;
  ctx.facts.platform = {
      {"hugepages", eal->has_hugepages()},
      {"ring_pages", platform::to_string(memory->kind())},
      {"ring_bytes", ring_bytes},
      {"tsc_hz", ctx.calibration.hz()},
      {"clock", clock_facts(ctx.clock_proof)},
      {"numa_node", node},
      {"port", {{"device", s.port.device}, {"driver", port->driver()}, {"link_up", port->link_up()},
                {"hw_timestamps", port->timestamp_offset() >= 0}}},
      {"port_b", port_b ? nlohmann::json{{"device", s.line_b_port.device}, {"driver", port_b->driver()},
                                         {"link_up", port_b->link_up()}}
                        : nlohmann::json(nullptr)},
      {"cores", {{"ingest", ctx.plan.ingest_cpu}, {"execution", ctx.plan.execution_cpu},
                 {"analytics", ctx.plan.housekeeping_cpu}, {"control", ctx.plan.housekeeping_cpu}}},
      {"hot_shared", ctx.plan.hot_shared},
      {"isolated", machine.isolated},
      {"nohz_full", machine.nohz_full},
      {"eal_args", eal->args()},
      {"nic_timestamps", {{"requested", ts.requested}, {"offered", ts.offered}, {"enabled", ts.enabled},
                          {"clock_readable", ts.clock_readable}, {"mapped_to_tsc", ctx.nic_clock.valid},
                          {"note", ts.note}}},
  };

  // 7. The floor on the hot cpus, before warmup (the pipeline's threads do not exist yet).
  ctx.facts.platform.update(measure_preflight(s, ctx.plan, ctx.calibration));

  const int rc = with_decoder(ctx);
  runtime::ShutdownSignals::uninstall();
  return rc;
}

}  // namespace tickpath::app
