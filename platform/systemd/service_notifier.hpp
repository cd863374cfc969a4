#pragma once
// The run's voice to systemd (Type=notify): runtime::ServiceNotifications decides what to say,
// SystemdNotifier says it, this object reads the lifecycle and the hot threads' progress for them. Called from the control loop only; without NOTIFY_SOCKET it
// does nothing but the bookkeeping.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "runtime/pipeline.hpp"
#include "core/state/lifecycle.hpp"
#include "platform/systemd/notifier.hpp"
#include "runtime/service_notify.hpp"

namespace tickpath::platform {

class ServiceNotifier {
 public:
  using Clock = std::chrono::steady_clock;

  // `hot_shared`: ingest and execution run on one thread (its heartbeat is the ingest one).
  ServiceNotifier(const core::Lifecycle& lifecycle, const runtime::PipelineCounters& counters, bool hot_shared)
      : lifecycle_(&lifecycle), counters_(&counters), hot_shared_(hot_shared) {
    // Half the manager's timeout: one missed check is survivable, two are a wedged loop.
    if (auto timeout = notifier_.watchdog_timeout()) {
      watchdog_period_ = std::chrono::duration_cast<Clock::duration>(*timeout / 2);
    }
  }

  // Every control-loop iteration: READY=1 once the lifecycle has reached READY; WATCHDOG=1 on its
  // own cadence (when the manager asked for one) while the hot threads progress.
  void poll(Clock::time_point now, std::string_view snapshot_state = {}) {
    // With a state (interval()), READY=1 follows that state, so it never goes out after a STATUS
    // read before it said WARMUP; without one, the live lifecycle (the loop's own polls).
    if (!decide_.ready_sent()) {
      send(decide_.on_lifecycle(snapshot_state.empty() ? reached_ready() : snapshot_state == "READY"));
    }
    if (watchdog_period_ && now >= next_watchdog_) {
      send(decide_.on_watchdog_check(progress()));
      next_watchdog_ = now + *watchdog_period_;
    }
  }

  // Each interval, after the control plane's tick: the interval's rate, and the lifecycle state
  // as of now. Not the snapshot's state: poll() may already have sent READY=1 for a transition
  // made after the snapshot was taken, and a STATUS=WARMUP after READY=1 would tell systemd the
  // service went back (seen in the deploy test on a loaded machine).
  void interval(Clock::time_point now, double events_per_s) {
    std::string_view state = core::to_string(lifecycle_->current());
    poll(now, state);  // READY=1 goes out before a STATUS that says READY
    // poll() may have seen READY after `state` was read: read again (warmup never comes back).
    if (decide_.ready_sent()) state = core::to_string(lifecycle_->current());
    send(decide_.on_interval(state, events_per_s));
  }

  void stopping() { send(decide_.on_shutdown()); }

  // Send failures: reported once, in the summary (the run itself goes on).
  [[nodiscard]] const std::vector<std::string>& errors() const noexcept { return errors_; }
  [[nodiscard]] bool active() const noexcept { return notifier_.active(); }

 private:
  bool reached_ready() const {
    if (lifecycle_->current() == core::LifecycleState::ready) return true;
    bool seen = false;
    lifecycle_->history().snapshot([&](const core::TransitionRecord& r) { seen = seen || r.to == core::LifecycleState::ready; });
    return seen;
  }

  std::vector<runtime::ThreadProgress> progress() const {
    std::vector<runtime::ThreadProgress> threads{{counters_->ingest.events.load(), counters_->ingest_beat.idle_polls.load()}};
    if (!hot_shared_) threads.push_back({counters_->execution.consumed.load(), counters_->execution_beat.idle_polls.load()});
    return threads;
  }

  void send(const std::optional<std::string>& message) {
    if (!message) return;
    if (std::string e = notifier_.send(*message); !e.empty() && errors_.size() < 8) errors_.push_back(std::move(e));
  }

  const core::Lifecycle* lifecycle_;
  const runtime::PipelineCounters* counters_;
  bool hot_shared_;
  SystemdNotifier notifier_;
  runtime::ServiceNotifications decide_;
  std::optional<Clock::duration> watchdog_period_;
  Clock::time_point next_watchdog_{};
  std::vector<std::string> errors_;
};

}  // namespace tickpath::platform
