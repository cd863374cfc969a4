#pragma once
// The execution consumer's per-batch work: every event through the executor, counting executed
// and provisional acks (written by the execution thread only).
//
// Two TSC reads per event bound the stages so that no stage holds another event's sink:
//   poll_tsc ─► decision_0 ─[ack 0]─► complete_0 ─[sink 0]─► decision_1 ─[ack 1]─► complete_1 ─[sink 1]─► end
// decision_{i+1} is read after sink i returned. The sink's own time (decision_{i+1} - complete_i,
// and end - complete_last) is summed per batch into sink_ticks: the cost of observing, reported
// beside the stages instead of hidden inside one of them.
#include <cstdint>
#include <span>

#include "core/counter.hpp"
#include "core/execution/executor.hpp"

namespace tickpath::core {

struct alignas(kFalseSharingRange) ExecutionCounters {
  Counter executed;
  Counter provisional;
  Counter sink_ticks;           // TSC ticks spent inside sink.observe(), all events
  Counter sink_max_batch_ticks; // the most one batch's sink calls took together
  Counter batches;
  // The measured window (from the first READY decision, executor.hpp), published once per batch.
  Counter window_acked;        // acks with in_window set
  Counter window_provisional;  // of those, not executed (DEGRADED, or WARMUP again after it)
  Counter window_open;         // 0 until the first READY decision, then 1
  Counter window_first_seq;    // ring sequence of the window's first event
  Counter window_start_tsc;    // its decision stamp
  Counter last_tsc;            // the stamp after the last sink of the latest batch: the window's end so far
};

template <ObservabilitySink Sink>
class ExecutionHandler {
 public:
  ExecutionHandler(Executor<Sink>& executor, ExecutionCounters& counters) noexcept
      : executor_(&executor), counters_(&counters) {}

  // flatten: everything a batch calls is inlined here (the executor, the sink's records, the
  // counters). Left to its heuristics, GCC 12 kept a different piece out of line in each build
  // of the appliance (perf: Histogram::record_fixed, then MetricsSink::record, then
  // Executor::execute as their own symbols, 8-26% of the hot thread each).
  [[gnu::flatten]] void operator()(std::span<const Event> batch, Ticks poll_tsc) noexcept {
    std::uint64_t executed = 0;
    std::uint64_t in_window = 0;
    std::uint64_t window_executed = 0;
    Ticks sink_ticks = 0;
    Ticks decision_tsc = poll_tsc;  // see Executor::execute
    for (const Event& event : batch) {
      const Ack ack = executor_->execute(event, poll_tsc, decision_tsc);
      executed += ack.executed;
      in_window += ack.in_window;
      window_executed += ack.in_window & ack.executed;
      // Read after the sink returned: the next event's decision starts here, and the gap since
      // complete_tsc is this event's sink alone.
      decision_tsc = tsc_now();
      sink_ticks += decision_tsc - ack.complete_tsc;
    }
    counters_->executed.add(executed);
    counters_->provisional.add(batch.size() - executed);
    counters_->sink_ticks.add(sink_ticks);
    counters_->batches.add();
    counters_->window_acked.add(in_window);
    counters_->window_provisional.add(in_window - window_executed);
    counters_->last_tsc.set(decision_tsc);
    if (counters_->window_open.load() == 0 && executor_->window_open()) [[unlikely]] {
      counters_->window_first_seq.set(executor_->window_first_seq());
      counters_->window_start_tsc.set(executor_->window_start_tsc());
      counters_->window_open.set(1);
    }
    if (sink_ticks > counters_->sink_max_batch_ticks.load()) [[unlikely]] counters_->sink_max_batch_ticks.set(sink_ticks);
  }

 private:
  Executor<Sink>* executor_;
  ExecutionCounters* counters_;
};

}  // namespace tickpath::core
