#pragma once
// The execution decision (seed steps 5-7): read the lifecycle once, stamp, build the ack in
// place, hand it to the sink. READY -> executed; WARMUP or DEGRADED -> provisional.
#include <stdexcept>
#include <string>

#include "core/execution/ack.hpp"
#include "core/execution/event.hpp"
#include "core/execution/sink.hpp"
#include "core/state/lifecycle.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

// Raised at start-up only: an executor cannot be started while the lifecycle is INIT.
class ExecutorStartError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

template <ObservabilitySink Sink>
class Executor {
 public:
  // Start-up: throws ExecutorStartError when the lifecycle is still INIT. Nothing transitions
  // back to INIT (see is_valid_transition), so the hot path never needs to check again.
  Executor(LifecycleView state, Sink& sink) : state_(state), sink_(&sink) {
    if (state_.load() == LifecycleState::init) [[unlikely]] {
      throw ExecutorStartError("executor started while the lifecycle is INIT: move to WARMUP first");
    }
  }

  // One event on its own: stamps the decision and the completion.
  [[nodiscard]] Ack execute(const Event& event, Ticks poll_tsc) noexcept {
    return execute(event, poll_tsc, tsc_now());
  }

  // One event of a batch, one TSC read per event: the decision of event i starts when event
  // i-1's ack completed (the batch is processed in order on one thread, so nothing happens in
  // between), and the first event's decision starts at the poll. The "decision" stage
  // (poll -> decision) is then the event's wait behind earlier events of its batch, and the
  // "ack" stage (decision -> complete) its own work: reading the lifecycle, building the ack,
  // the sink. A second stamp per event would cost about as much as everything it measures.
  [[nodiscard]] Ack execute(const Event& event, Ticks poll_tsc, Ticks decision_tsc) noexcept {
    Ack ack;
    ack.event_seq = event.seq;
    ack.feed_seq = event.feed_seq;
    ack.rx_tsc = event.rx_tsc;
    ack.publish_tsc = event.publish_tsc;
    ack.poll_tsc = poll_tsc;
    ack.decision_tsc = decision_tsc;
    ack.state = state_.load();
    ack.executed = ack.state == LifecycleState::ready ? 1 : 0;
    for (auto& b : ack.reserved) b = 0;
    ack.complete_tsc = tsc_now();
    sink_->observe(event, ack);
    return ack;
  }

 private:
  LifecycleView state_;
  Sink* sink_;
};

}  // namespace tickpath::core
