#pragma once
// The only part of a run that is a template: the typed pipeline for one (Source, Decoder, Idle,
// Sink), built and started, seen by everything else as a control::RunningPipeline (run_session.hpp
// drives it). The wiring chooses the four types once, at start-up (apps/tickpath/run_command.cpp);
// the sink decides whether the ack log exists and whether latency is measured at all.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "control/failure/scenario.hpp"
#include "control/failure/schedule.hpp"
#include "control/metrics/analytics.hpp"
#include "control/metrics/metrics_sink.hpp"
#include "control/plane/running_pipeline.hpp"
#include "core/bus/broadcast_ring.hpp"
#include "core/execution/ack_log_sink.hpp"
#include "core/execution/sink.hpp"
#include "platform/run/run_settings.hpp"
#include "platform/uring/ack_log_run.hpp"
#include "runtime/idle.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/warmup.hpp"

namespace tickpath::platform {

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

// Start-up: the sink, built once with what it needs: the ack log's queue size, the NIC clock map
// the metrics sink turns NIC rx timestamps with.
template <class Sink>
std::unique_ptr<Sink> make_sink(std::uint64_t ack_queue, const control::NicClockMap& nic_clock,
                                const control::WallClockMap& wall_clock) {
  if constexpr (std::is_same_v<Sink, control::MetricsSink>) {
    return std::make_unique<Sink>(control::HistogramConfig{}, nic_clock, wall_clock);
  } else if constexpr (std::is_same_v<Sink, core::AckLogSink<control::MetricsSink>>) {
    return std::make_unique<Sink>(ack_queue, std::in_place, control::HistogramConfig{}, nic_clock, wall_clock);
  } else if constexpr (IsAckLog<Sink>::value) {
    return std::make_unique<Sink>(ack_queue);
  } else {
    return std::make_unique<Sink>();
  }
}

template <core::FrameSource Source, class Decoder, class Idle, core::ObservabilitySink Sink>
class TypedPipeline final : public control::RunningPipeline {
 public:
  using P = runtime::Pipeline<Source, Decoder, Sink, Idle>;

  // `config` outlives the pipeline; the clock maps are copied into the metrics sink.
  TypedPipeline(const config::Config& config, const control::NicClockMap& nic_clock, const control::WallClockMap& wall_clock)
      : config_(config),
        sink_(make_sink<Sink>(config_.report.ack_queue, nic_clock, wall_clock)),
        warmup_(lifecycle_, config_.warmup.steps),
        failures_(lifecycle_),
        schedule_(failures_, schedule_windows(config_)) {}

  // Warmup begins and the stages are built (no thread yet); `ack_log` is where report.ack_log's
  // drain thread will write. Returns an error text or empty.
  std::string build(core::BroadcastRing<core::Event>& ring, Source& source, Decoder& decoder,
                    AckLogPlacement ack_log) {
    if (auto r = warmup_.start(); !r) return r.error().message();
    ack_log_where_ = std::move(ack_log);
    pipeline_ = std::make_unique<P>(ring, source, decoder, *sink_, lifecycle_, warmup_, schedule_, analytics_,
                                    *counters_, config_.ingest.burst);
    return {};
  }

  void observe(control::Observables& observed) const override {
    observed.counters = counters_.get();
    observed.sink = histograms_of(*sink_);
    observed.analytics = &analytics_;
    observed.lifecycle = &lifecycle_;
  }
  void start_ack_log(control::Observables& observed) override {
    ack_log_.start(*sink_, ack_log_where_, observed);
  }
  control::FailureInjector& failures() override { return failures_; }
  const core::Lifecycle& lifecycle() const override { return lifecycle_; }
  const runtime::PipelineCounters& counters() const override { return *counters_; }

  void start(const runtime::ThreadPlacement& where, const runtime::PinFunction& pin, const std::atomic<bool>& stop) override {
    const config::HousekeepingIdle analytics_idle = config_.cores.housekeeping_idle;
    const std::uint64_t event_limit = config_.run.events == 0 ? UINT64_MAX : config_.run.events;
    typename P::AnalyticsRunner runner = &P::template run_analytics<runtime::BackoffIdle>;
    analytics_idle_name_ = runtime::BackoffIdle::kName;
    if (analytics_idle == config::HousekeepingIdle::spin) {
      runner = &P::template run_analytics<runtime::SpinIdle>;
      analytics_idle_name_ = runtime::SpinIdle::kName;
    } else if (analytics_idle == config::HousekeepingIdle::pause) {
      runner = &P::template run_analytics<runtime::PauseIdle>;
      analytics_idle_name_ = runtime::PauseIdle::kName;
    }
    pipeline_->start(where, pin, stop, event_limit, config_.analytics.enabled, runner);
  }
  bool ingest_done() const noexcept override { return pipeline_->ingest_done(); }
  void join() override { pipeline_->join(); }

  std::vector<std::string> pin_errors() const override { return pipeline_->pin_errors(); }
  std::string_view hot_idle_name() const override { return Idle::kName; }
  std::string_view analytics_idle_name() const override { return analytics_idle_name_; }
  const std::vector<control::ScheduleEdge>& schedule_edges() const override { return schedule_.edges(); }
  std::vector<std::string> finish_ack_log(nlohmann::json& summary) override { return ack_log_.finish(*sink_, summary); }

 private:
  const config::Config& config_;
  core::Lifecycle lifecycle_;
  std::unique_ptr<Sink> sink_;
  control::AnalyticsHandler analytics_;
  std::unique_ptr<runtime::PipelineCounters> counters_ = std::make_unique<runtime::PipelineCounters>();
  runtime::WarmupController warmup_;
  control::FailureInjector failures_;
  control::FailureSchedule schedule_;
  AckLogRun<Sink> ack_log_;
  AckLogPlacement ack_log_where_;
  std::unique_ptr<P> pipeline_;  // declared last: its threads are joined before the rest dies
  std::string_view analytics_idle_name_ = runtime::BackoffIdle::kName;
};

}  // namespace tickpath::platform
