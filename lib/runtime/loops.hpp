#pragma once
// The thread bodies around the hot path's poll() functions. They own the things the hot path
// must not: when to stop, when warmup is over, what to do when idle, how to drain.
//
// Stop and drain protocol:
//   1. control sets `stop` (signal, duration or event limit reached)
//   2. the ingest loop returns; its caller sets `ingest_done` (release) after the last publish
//   3. consumers that see `ingest_done` (acquire) poll until the ring is empty, then return:
//      nothing published is left unconsumed or uncounted (consumed + lost == published)
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "core/bus/consumer_loop.hpp"
#include "core/ingest/drop_reason.hpp"
#include "runtime/warmup.hpp"

namespace tickpath::runtime {

// One poll of anything with `bool step()` (ExecutionDriver) or `bool poll()` (ConsumerLoop).
template <class Consumer>
bool poll_once(Consumer& c) noexcept {
  if constexpr (requires { c.step(); }) {
    return c.step();
  } else {
    return c.poll();
  }
}

// Drives the execution consumer through warmup with batches capped so READY lands on exactly
// event `warmup.steps` (see WarmupController).
template <class Loop>
class ExecutionDriver {
 public:
  ExecutionDriver(Loop& loop, WarmupController& warmup, const core::ConsumerCounters& counters) noexcept
      : loop_(&loop), warmup_(&warmup), counters_(&counters) {}

  // One poll; returns whether it did work.
  bool step() noexcept {
    if (warmup_->completed()) [[likely]] return loop_->poll();
    const std::uint64_t remaining = warmup_->remaining(counters_->consumed.load());
    const bool worked = loop_->poll(remaining > 0 ? std::min<std::uint64_t>(remaining, kBatch) : kBatch);
    if (warmup_->remaining(counters_->consumed.load()) == 0) warmup_->advance(counters_->consumed.load());
    return worked;
  }

 private:
  static constexpr std::size_t kBatch = 32;
  Loop* loop_;
  WarmupController* warmup_;
  const core::ConsumerCounters* counters_;
};

// Ingest until stopped or `event_limit` events were published (overshoot < one burst).
template <class Stage, class Idle>
void run_ingest(Stage& stage, const core::IngestCounters& counters, const std::atomic<bool>& stop,
                std::uint64_t event_limit, Idle idle) noexcept {
  // relaxed: `stop` carries no data (see ShutdownSignals).
  while (!stop.load(std::memory_order_relaxed) && counters.events.load() < event_limit) {
    if (stage.poll()) {
      idle.reset();
    } else {
      idle();
    }
  }
}

// Poll until ingest is done and the ring is drained.
template <class Consumer, class Idle>
void run_consumer(Consumer& consumer, const std::atomic<bool>& ingest_done, Idle idle) noexcept {
  for (;;) {
    if (poll_once(consumer)) {
      idle.reset();
      continue;
    }
    // acquire: partner of the release store of ingest_done after the last publish; afterwards
    // an empty poll means the ring is drained for good.
    if (ingest_done.load(std::memory_order_acquire)) {
      while (poll_once(consumer)) {
      }
      return;
    }
    idle();
  }
}

// Both hot roles on one CPU (a machine with too few cores): one thread alternates ingest and
// execution polls instead of two spinning threads time-slicing on the same core.
template <class Stage, class Consumer>
void run_ingest_and_execution(Stage& stage, Consumer& consumer, const core::IngestCounters& counters,
                              const std::atomic<bool>& stop, std::uint64_t event_limit) noexcept {
  while (!stop.load(std::memory_order_relaxed) && counters.events.load() < event_limit) {
    stage.poll();
    while (poll_once(consumer)) {
    }
  }
  while (poll_once(consumer)) {
  }
}

}  // namespace tickpath::runtime
