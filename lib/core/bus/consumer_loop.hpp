#pragma once
// One consumer's poll loop body, shared by every consumer (execution on a hot core, analytics on
// a housekeeping core). It owns the overrun policy so no consumer can get it wrong: an overrun is
// counted, and the cursor skips exactly the events the poll reported overwritten
// (BurstResult::lost) to the oldest event still intact. "Lost" has one meaning: an event this
// consumer never saw because it was overwritten first. No intact event is ever skipped (resync to
// the newest would skip up to a ring's worth of intact ones). Invariant, checked by the tests and
// the summary:
//     consumed + lost == published   (once the consumer has drained the ring)
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/bus/broadcast_ring.hpp"
#include "core/counter.hpp"
#include "core/time/tsc.hpp"

namespace tickpath::core {

// Written by the consumer's thread only; read by the control plane.
struct alignas(kFalseSharingRange) ConsumerCounters {
  Counter consumed;
  Counter overruns;  // overrun events detected
  Counter lost;      // events overwritten before this consumer read them (exact, BurstResult::lost)
  Counter polls_with_work;
};

// The most events one poll hands the handler: also how far a handler's own counters may run
// ahead of `consumed` (they are counted before the batch is; control/health/invariants.hpp).
inline constexpr std::size_t kConsumerBatch = 32;

// Handler: void operator()(std::span<const T> batch, Ticks poll_tsc) noexcept.
template <RingElement T, class Handler, std::size_t kBatch = kConsumerBatch>
class ConsumerLoop {
 public:
  ConsumerLoop(const BroadcastRing<T>& ring, Handler& handler, ConsumerCounters& counters) noexcept
      : consumer_(ring), handler_(&handler), counters_(&counters) {}

  // The poll contract: does at most one batch of work and says whether it did any.
  // `max_events` (1..kBatch) caps the batch, so a caller can stop at an exact event count
  // (warmup ends after exactly warmup.steps events).
  bool poll(std::size_t max_events = kBatch) noexcept {
    const BurstResult r = consumer_.poll_burst(std::span<T>(batch_.data(), std::min(max_events, kBatch)));
    if (r.status == PollStatus::empty) return false;
    if (r.status == PollStatus::overrun) [[unlikely]] {
      consumer_.skip_lost(r);
      counters_->overruns.add();
      counters_->lost.add(r.lost);
      return true;
    }
    const Ticks poll_tsc = tsc_now();
    (*handler_)(std::span<const T>(batch_.data(), r.count), poll_tsc);
    counters_->consumed.add(r.count);
    counters_->polls_with_work.add();
    return true;
  }

  [[nodiscard]] const RingConsumer<T>& consumer() const noexcept { return consumer_; }

 private:
  RingConsumer<T> consumer_;
  Handler* handler_;
  ConsumerCounters* counters_;
  std::array<T, kBatch> batch_{};
};

}  // namespace tickpath::core
