#include "runtime/warmup.hpp"

namespace tickpath::runtime {

using core::LifecycleState;

core::TransitionResult WarmupController::start() noexcept {
  const core::TransitionResult r = lifecycle_->transition(LifecycleState::warmup);
  if (r && steps_ == 0) advance(0);
  return r;
}

bool WarmupController::advance(std::uint64_t events_done) noexcept {
  if (completed_) return true;
  if (events_done < steps_) return false;
  // Only WARMUP -> READY is ours to take. If a failure scenario moved WARMUP -> DEGRADED, the
  // scenario restores WARMUP on deactivation and the next call completes the warmup.
  const core::TransitionResult r =
      lifecycle_->transition_from(LifecycleState::warmup, LifecycleState::ready);
  completed_ = r.ok;
  return completed_;
}

}  // namespace tickpath::runtime
