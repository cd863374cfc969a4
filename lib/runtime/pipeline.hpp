#pragma once
// The running pipeline: ring, ingest stage, execution consumer, analytics consumer and their
// threads, for one (Source, Decoder, Sink) combination chosen at start-up. Everything is built
// before the threads start; after that nothing on a hot thread allocates.
#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "control/failure/schedule.hpp"
#include "control/metrics/analytics.hpp"
#include "core/bus/broadcast_ring.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/execution_handler.hpp"
#include "core/ingest/ingest_stage.hpp"
#include "runtime/heartbeat.hpp"
#include "runtime/idle.hpp"
#include "runtime/loops.hpp"
#include "runtime/pipeline_counters.hpp"
#include "runtime/warmup.hpp"

namespace tickpath::runtime {

// Where each thread runs, from the core plan.
struct ThreadPlacement {
  int ingest_cpu;
  int execution_cpu;
  int housekeeping_cpu;
};

// What a pipeline thread does, said by the pipeline itself (not inferred from its name): hot
// threads receive and free mbufs, so they register with the EAL for the mempool's per-lcore cache.
enum class ThreadRole { hot, housekeeping };

// Pins and names the calling thread; returns an error text or empty.
using PinFunction = std::function<std::string(int cpu, const char* name, ThreadRole role)>;


template <core::FrameSource Source, class Decoder, core::ObservabilitySink Sink, class HotIdle>
class Pipeline {
 public:
  using ExecHandler = core::ExecutionHandler<Sink>;
  using ExecLoop = core::ConsumerLoop<core::Event, ExecHandler>;
  using AnalyticsLoop = core::ConsumerLoop<core::Event, control::AnalyticsHandler>;

  using Milestones = runtime::MilestonePair<runtime::WarmupMilestone, control::FailureSchedule>;

  // The analytics consumer's idle strategy (cores.housekeeping_idle), chosen once at start-up as a
  // pointer to the loop compiled for it; the thread calls it once. No per-poll branch, and the
  // hot (Source, Decoder, Sink, HotIdle) variants are not multiplied by it.
  using AnalyticsRunner = void (*)(AnalyticsLoop&, const std::atomic<bool>&);
  template <class Idle>
  static void run_analytics(AnalyticsLoop& loop, const std::atomic<bool>& ingest_done) noexcept {
    runtime::run_consumer(loop, ingest_done, Idle{});
  }

  Pipeline(core::BroadcastRing<core::Event>& ring, Source& source, Decoder& decoder, Sink& sink,
           core::Lifecycle& lifecycle, runtime::WarmupController& warmup,
           control::FailureSchedule& schedule, control::AnalyticsHandler& analytics,
           PipelineCounters& counters, std::size_t burst)
      : ring_(&ring),
        stage_(source, decoder, ring, counters.ingest, burst),
        executor_(lifecycle.view(), sink),
        exec_handler_(executor_, counters.decisions),
        exec_loop_(ring, exec_handler_, counters.execution),
        driver_(exec_loop_, Milestones(runtime::WarmupMilestone(warmup), schedule), counters.execution),
        analytics_loop_(ring, analytics, counters.analytics),
        counters_(&counters) {}

  // Starts the threads. Returns the errors of pinning (the run continues unpinned: the plan
  // printed says where threads were meant to be, the summary records the failure).
  void start(const ThreadPlacement& where, const PinFunction& pin, const std::atomic<bool>& stop,
             std::uint64_t event_limit, bool with_analytics, AnalyticsRunner analytics = &run_analytics<runtime::BackoffIdle>) {
    const bool shared = where.ingest_cpu == where.execution_cpu;
    if (shared) {
      hot_threads_.emplace_back([this, where, &pin, &stop, event_limit] {
        note(pin(where.ingest_cpu, "tp-pmd-hot", ThreadRole::hot));
        runtime::run_ingest_and_execution(stage_, driver_, counters_->ingest, stop, event_limit,
                                          runtime::HeartbeatIdle<HotIdle>(counters_->ingest_beat));
        stage_.finish();  // the A/B arbiter settles its window (nothing with one line)
        ingest_done_.store(true, std::memory_order_release);
      });
    } else {
      hot_threads_.emplace_back([this, where, &pin, &stop, event_limit] {
        note(pin(where.ingest_cpu, "tp-pmd-ingest", ThreadRole::hot));
        runtime::run_ingest(stage_, counters_->ingest, stop, event_limit, runtime::HeartbeatIdle<HotIdle>(counters_->ingest_beat));
        stage_.finish();  // the A/B arbiter settles its window (nothing with one line)
        // release: partner of the consumers' acquire in run_consumer(); the last publish
        // happens-before their final drain.
        ingest_done_.store(true, std::memory_order_release);
      });
      hot_threads_.emplace_back([this, where, &pin] {
        note(pin(where.execution_cpu, "tp-pmd-exec", ThreadRole::hot));
        runtime::run_consumer(driver_, ingest_done_, runtime::HeartbeatIdle<HotIdle>(counters_->execution_beat));
      });
    }
    if (with_analytics) {
      analytics_thread_ = std::thread([this, where, &pin, analytics] {
        note(pin(where.housekeeping_cpu, "tp-analytics", ThreadRole::housekeeping));
        analytics(analytics_loop_, ingest_done_);
      });
    }
  }

  // Waits for ingest to stop and every consumer to drain.
  void join() {
    for (auto& t : hot_threads_) t.join();
    if (analytics_thread_.joinable()) analytics_thread_.join();
  }

  [[nodiscard]] bool ingest_done() const noexcept {
    return ingest_done_.load(std::memory_order_acquire);
  }
  [[nodiscard]] std::vector<std::string> pin_errors() const {
    std::vector<std::string> out;
    for (const auto& e : pin_errors_) {
      if (!e.empty()) out.push_back(e);
    }
    return out;
  }

 private:
  void note(std::string error) {
    if (error.empty()) return;
    const std::size_t i = pin_error_count_.fetch_add(1, std::memory_order_relaxed);
    if (i < pin_errors_.size()) pin_errors_[i] = std::move(error);
  }

  core::BroadcastRing<core::Event>* ring_;
  core::IngestStage<Source, Decoder> stage_;
  core::Executor<Sink> executor_;
  ExecHandler exec_handler_;
  ExecLoop exec_loop_;
  runtime::ExecutionDriver<ExecLoop, Milestones> driver_;
  AnalyticsLoop analytics_loop_;
  PipelineCounters* counters_;
  std::atomic<bool> ingest_done_{false};
  std::vector<std::thread> hot_threads_;
  std::thread analytics_thread_;
  std::array<std::string, 4> pin_errors_{};
  std::atomic<std::size_t> pin_error_count_{0};
};

}  // namespace tickpath::runtime
