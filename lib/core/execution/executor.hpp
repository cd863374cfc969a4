#pragma once
// The execution decision (seed steps 5-7): read the lifecycle once, stamp, build the ack in
// place, hand it to the sink. READY -> executed; WARMUP or DEGRADED -> provisional.
#include <cstdint>
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

  // One event of a batch: the caller supplies the decision stamp. ExecutionHandler takes it after
  // the previous event's sink returned (the first event's at the poll), so the "decision" stage
  // (poll -> decision) is the event's wait behind earlier events of its batch, and the "ack"
  // stage (decision -> complete) its own work only: reading the lifecycle and building the ack.
  // complete_tsc is stamped before the sink because the sink records it; the sink's own time
  // lies between complete_tsc and the next stamp, which the handler accounts for separately
  // (ExecutionCounters::sink_ticks), so no event's stage holds another event's sink.
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
    // The measured window opens at the first READY decision and never closes (DEGRADED stays in,
    // marked by executed == 0). Bit masks on the state just read, which the executor reads anyway:
    // no branch at all (a ternary let the compiler make the stores conditional), and none on
    // observability configuration. Before the window opens every event overwrites the
    // candidates; the first in-window event freezes them.
    const std::uint64_t keep = std::uint64_t{0} - window_open_;  // all ones once open
    window_first_seq_ = (window_first_seq_ & keep) | (event.seq & ~keep);
    window_start_tsc_ = (window_start_tsc_ & keep) | (decision_tsc & ~keep);
    window_open_ = static_cast<std::uint8_t>(window_open_ | ack.executed);
    ack.in_window = window_open_;
    for (auto& b : ack.reserved) b = 0;
    ack.complete_tsc = tsc_now();
    sink_->observe(event, ack);
    return ack;
  }

  // Execution thread only (the handler publishes them per batch): the ring sequence of the first
  // event in the window and its decision stamp. Meaningful once window_open().
  [[nodiscard]] bool window_open() const noexcept { return window_open_ != 0; }
  [[nodiscard]] std::uint64_t window_first_seq() const noexcept { return window_first_seq_; }
  [[nodiscard]] Ticks window_start_tsc() const noexcept { return window_start_tsc_; }

 private:
  LifecycleView state_;
  Sink* sink_;
  std::uint8_t window_open_ = 0;  // 0 or 1
  std::uint64_t window_first_seq_ = 0;
  Ticks window_start_tsc_ = 0;
};

}  // namespace tickpath::core
