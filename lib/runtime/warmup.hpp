#pragma once
// Step-based, deterministic warmup. A step is one event
// through the whole path (ingest -> ring -> executor -> sink). The controller does not watch a
// clock: given the same steps it flips at the same event on every machine.
#include <cstdint>

#include "core/state/lifecycle.hpp"

namespace tickpath::runtime {

class WarmupController {
 public:
  WarmupController(core::Lifecycle& lifecycle, std::uint64_t steps) noexcept
      : lifecycle_(&lifecycle), steps_(steps) {}

  // INIT -> WARMUP at start-up, and straight on to READY when there are no steps.
  core::TransitionResult start() noexcept;

  // Events the execution consumer may still take before warmup is over; the execution thread
  // caps its batches with it so the flip lands on exactly event `steps`.
  [[nodiscard]] std::uint64_t remaining(std::uint64_t events_done) const noexcept {
    return events_done >= steps_ ? 0 : steps_ - events_done;
  }

  // Called by the execution thread between batches (never inside the executor): once `steps`
  // events are through and the state is WARMUP, moves to READY and returns true from then on.
  // While a failure scenario holds WARMUP in DEGRADED it returns false: the scenario restores
  // WARMUP when it ends, and the next call completes the warmup (READY is never skipped to).
  bool advance(std::uint64_t events_done) noexcept;

  [[nodiscard]] std::uint64_t steps() const noexcept { return steps_; }
  [[nodiscard]] bool completed() const noexcept { return completed_; }

 private:
  core::Lifecycle* lifecycle_;
  std::uint64_t steps_;
  bool completed_ = false;
};

}  // namespace tickpath::runtime
