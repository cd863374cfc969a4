#pragma once
// One run after start-up, for any typed pipeline. The typed part (running_pipeline.hpp: source,
// decoder, sink and idle strategy as template parameters) is built and started by one template;
// everything else a run does — the control loop, the summary, the reports — sees it through
// RunningPipeline and is compiled once, here, instead of once per (Source, Decoder, Sink, Idle)
// variant. The interface is called a few times per control tick, never from a hot thread.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/uring/ack_log_run.hpp"
#include "control/plane/observables.hpp"
#include "runtime/pipeline.hpp"
#include "config/config.hpp"
#include "apps/tickpath/summary.hpp"
#include "control/failure/scenario.hpp"
#include "control/failure/schedule.hpp"
#include "control/metrics/line_skew.hpp"
#include "core/bus/broadcast_ring.hpp"
#include "core/ingest/line_arbiter.hpp"
#include "platform/dpdk/port.hpp"
#include "platform/topology/core_plan.hpp"
#include "runtime/run_clock.hpp"

namespace tickpath::app {

// Everything built before the threads start, shared by every (Source, Decoder, Idle) variant.
struct RunContext {
  const config::Config* config = nullptr;
  std::string http_token;  // http.token_file's bearer token (config::Startup)
  platform::CorePlan plan;
  core::BroadcastRing<core::Event>* ring = nullptr;
  platform::Port* port = nullptr;
  platform::Port* port_b = nullptr;  // ingest.lines: line B's port; nullptr with one line
  std::unique_ptr<core::ArbiterCounters> lines;            // with two lines
  std::unique_ptr<control::LineSkewHistograms> line_skew;  // with two lines
  core::TscCalibration calibration;
  core::CalibrationResult clock_proof;  // prove_tsc(): the rate, its bound, the pairs drift is measured from
  control::NicClockMap nic_clock;       // valid only when the port stamps rx and its clock can be read
  control::WallClockMap wall_clock;     // valid only with ingest.wall_clock_latency
  runtime::WallClockPair wall_clock_first;  // step 6's paired read: the map's rate starts here
  RunFacts facts;
  std::string report_dir;
};

// A built pipeline of some (Source, Decoder, Sink, Idle), seen without its types.
class RunningPipeline {
 public:
  virtual ~RunningPipeline() = default;

  // What the control plane reads: counters, the sink's histograms, analytics, the lifecycle.
  virtual void observe(control::Observables& observed) const = 0;
  // report.ack_log: starts the drain thread (nothing when the sink has no log); also fills the
  // log's queue and drop counter into `observed`.
  virtual void start_ack_log(const platform::AckLogPlacement& where, control::Observables& observed) = 0;
  [[nodiscard]] virtual control::FailureInjector& failures() = 0;
  [[nodiscard]] virtual const core::Lifecycle& lifecycle() const = 0;
  [[nodiscard]] virtual const runtime::PipelineCounters& counters() const = 0;

  // Starts the threads; the analytics consumer runs the loop compiled for `analytics_idle`.
  virtual void start(const runtime::ThreadPlacement& where, const runtime::PinFunction& pin, const std::atomic<bool>& stop,
                     std::uint64_t event_limit, bool with_analytics, config::HousekeepingIdle analytics_idle) = 0;
  [[nodiscard]] virtual bool ingest_done() const noexcept = 0;
  virtual void join() = 0;

  [[nodiscard]] virtual std::vector<std::string> pin_errors() const = 0;
  // The idle strategies the loops were compiled with (summary.json records the type that ran).
  [[nodiscard]] virtual std::string_view hot_idle_name() const = 0;
  [[nodiscard]] virtual std::string_view analytics_idle_name() const = 0;
  [[nodiscard]] virtual const std::vector<control::ScheduleEdge>& schedule_edges() const = 0;
  // After join(): finishes the ack log, sets summary["ack_log"], returns its errors.
  virtual std::vector<std::string> finish_ack_log(nlohmann::json& summary) = 0;
};

// [[failure.schedule]] as the execution consumer's schedule takes it (names validated by the config).
[[nodiscard]] std::vector<control::ScheduleWindow> schedule_windows(const config::Config& config);

// Pins and names a pipeline thread; hot threads also register with the EAL.
[[nodiscard]] std::string pin_and_name(int cpu, const char* name, runtime::ThreadRole role);

// Control plane up, threads started, one report per interval, stop on duration / event limit /
// signal, drain, summary and report files. Returns the exit code (0, 1, or 3: report incomplete).
int drive_run(RunContext& ctx, RunningPipeline& pipeline);

}  // namespace tickpath::app
