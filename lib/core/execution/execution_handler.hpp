#pragma once
// The execution consumer's per-batch work: every event through the executor, counting executed
// and provisional acks (written by the execution thread only).
#include <cstdint>
#include <span>

#include "core/counter.hpp"
#include "core/execution/executor.hpp"

namespace tickpath::core {

struct alignas(kFalseSharingRange) ExecutionCounters {
  Counter executed;
  Counter provisional;
};

template <ObservabilitySink Sink>
class ExecutionHandler {
 public:
  ExecutionHandler(Executor<Sink>& executor, ExecutionCounters& counters) noexcept
      : executor_(&executor), counters_(&counters) {}

  void operator()(std::span<const Event> batch, Ticks poll_tsc) noexcept {
    std::uint64_t executed = 0;
    Ticks decision_tsc = poll_tsc;  // see Executor::execute: one stamp per event
    for (const Event& event : batch) {
      const Ack ack = executor_->execute(event, poll_tsc, decision_tsc);
      executed += ack.executed;
      decision_tsc = ack.complete_tsc;
    }
    counters_->executed.add(executed);
    counters_->provisional.add(batch.size() - executed);
  }

 private:
  Executor<Sink>* executor_;
  ExecutionCounters* counters_;
};

}  // namespace tickpath::core
