#pragma once
// A built pipeline of some (Source, Decoder, Sink, Idle), seen without its types. The typed part
// (source, decoder, sink and idle strategy as template parameters) is built and started by one
// template in the wiring; everything else a run does (the control loop, the summary, the reports:
// platform/run/run_session.hpp) sees it through this interface and is compiled once instead of
// once per variant. Called a few times per control tick, never from a hot thread.
#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/failure/scenario.hpp"
#include "control/failure/schedule.hpp"
#include "control/plane/observables.hpp"
#include "core/state/lifecycle.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/pipeline_counters.hpp"

namespace tickpath::control {

class RunningPipeline {
 public:
  virtual ~RunningPipeline() = default;

  // What the control plane reads: counters, the sink's histograms, analytics, the lifecycle.
  virtual void observe(Observables& observed) const = 0;
  // report.ack_log: starts the drain thread in the run folder the pipeline was built for (nothing
  // when the sink has no log); also fills the log's queue and drop counter into `observed`.
  virtual void start_ack_log(Observables& observed) = 0;
  [[nodiscard]] virtual FailureInjector& failures() = 0;
  [[nodiscard]] virtual const core::Lifecycle& lifecycle() const = 0;
  [[nodiscard]] virtual const runtime::PipelineCounters& counters() const = 0;

  // Starts the threads with the settings the pipeline was built from (run.events, analytics and
  // the idle loop its consumer was compiled for).
  virtual void start(const runtime::ThreadPlacement& where, const runtime::PinFunction& pin,
                     const std::atomic<bool>& stop) = 0;
  [[nodiscard]] virtual bool ingest_done() const noexcept = 0;
  virtual void join() = 0;

  [[nodiscard]] virtual std::vector<std::string> pin_errors() const = 0;
  // The idle strategies the loops were compiled with (summary.json records the type that ran).
  [[nodiscard]] virtual std::string_view hot_idle_name() const = 0;
  [[nodiscard]] virtual std::string_view analytics_idle_name() const = 0;
  [[nodiscard]] virtual const std::vector<ScheduleEdge>& schedule_edges() const = 0;
  // After join(): finishes the ack log, sets summary["ack_log"], returns its errors.
  virtual std::vector<std::string> finish_ack_log(nlohmann::json& summary) = 0;
};

}  // namespace tickpath::control
