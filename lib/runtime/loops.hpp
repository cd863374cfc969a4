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
#include <concepts>
#include <cstdint>

#include "core/bus/consumer_loop.hpp"
#include "core/ingest/drop_reason.hpp"
#include "core/ingest/ingest_counters.hpp"
#include "runtime/idle.hpp"
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

// Milestones: event counts of the execution consumer at which something must happen exactly
// (warmup ends; a scheduled failure window opens or closes). The driver caps its batches so the
// consumed count lands on each milestone, then calls reach(). Off the hot path's types: the
// checks run between batches, never per event.
//   next(done)  the smallest milestone > done still pending (UINT64_MAX: none)
//   reach(done) act on every milestone <= done; may be retried (e.g. the state is held)
//   finished()  nothing left: the driver is then a plain poll
template <class M>
concept Milestones = requires(M m, std::uint64_t n) {
  { m.next(n) } -> std::same_as<std::uint64_t>;
  m.reach(n);
  { m.finished() } -> std::same_as<bool>;
};

// Warmup as the only milestone.
class WarmupMilestone {
 public:
  explicit WarmupMilestone(WarmupController& warmup) noexcept : warmup_(&warmup) {}
  std::uint64_t next(std::uint64_t done) noexcept {
    return done < warmup_->steps() ? warmup_->steps() : UINT64_MAX;
  }
  void reach(std::uint64_t done) noexcept { warmup_->advance(done); }
  bool finished() const noexcept { return warmup_->completed(); }

 private:
  WarmupController* warmup_;
};

// Two sets of milestones driven together (warmup and the failure schedule): `first` is held by
// value (a small handle), `second` by reference so its record of what happened stays readable.
template <Milestones A, Milestones B>
class MilestonePair {
 public:
  MilestonePair(A first, B& second) noexcept : a_(first), b_(&second) {}
  std::uint64_t next(std::uint64_t done) noexcept { return std::min(a_.next(done), b_->next(done)); }
  void reach(std::uint64_t done) noexcept {
    a_.reach(done);
    b_->reach(done);
  }
  bool finished() const noexcept { return a_.finished() && b_->finished(); }

 private:
  A a_;
  B* b_;
};

// Drives the execution consumer with batches capped so every milestone lands on its exact
// event: READY after exactly warmup.steps events, a failure window on exactly its events.
template <class Loop, Milestones M = WarmupMilestone>
class ExecutionDriver {
 public:
  ExecutionDriver(Loop& loop, M milestones, const core::ConsumerCounters& counters) noexcept
      : loop_(&loop), milestones_(milestones), counters_(&counters) {}
  ExecutionDriver(Loop& loop, WarmupController& warmup, const core::ConsumerCounters& counters) noexcept
    requires std::same_as<M, WarmupMilestone>
      : ExecutionDriver(loop, WarmupMilestone(warmup), counters) {}

  // One poll; returns whether it did work.
  bool step() noexcept {
    if (milestones_.finished()) [[likely]] return loop_->poll();
    const std::uint64_t done = counters_->consumed.load();
    const std::uint64_t next = milestones_.next(done);
    const std::uint64_t cap = next > done ? std::min<std::uint64_t>(next - done, kBatch) : kBatch;
    const bool worked = loop_->poll(cap);
    milestones_.reach(counters_->consumed.load());
    return worked;
  }

 private:
  static constexpr std::size_t kBatch = 32;
  Loop* loop_;
  M milestones_;
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
// execution polls instead of two spinning threads time-slicing on the same core. Idles only when
// neither found work.
template <class Stage, class Consumer, class Idle = SpinIdle>
void run_ingest_and_execution(Stage& stage, Consumer& consumer, const core::IngestCounters& counters,
                              const std::atomic<bool>& stop, std::uint64_t event_limit, Idle idle = {}) noexcept {
  while (!stop.load(std::memory_order_relaxed) && counters.events.load() < event_limit) {
    bool worked = stage.poll();
    while (poll_once(consumer)) {
      worked = true;
    }
    if (worked) {
      idle.reset();
    } else {
      idle();
    }
  }
  while (poll_once(consumer)) {
  }
}

}  // namespace tickpath::runtime
