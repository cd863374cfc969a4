#include "core/state/lifecycle.hpp"

#include "core/time/tsc.hpp"

namespace tickpath::core {

std::string TransitionError::message() const {
  std::string m = "invalid lifecycle transition ";
  m += to_string(from);
  m += " -> ";
  m += to_string(to);
  return m;
}

TransitionResult Lifecycle::transition(LifecycleState to) noexcept {
  LifecycleState from = state_.load(std::memory_order_relaxed);
  for (;;) {
    if (!is_valid_transition(from, to)) return {false, from, to};
    // acq_rel: release publishes the caller's prior writes to readers of current(); acquire makes
    // this thread see the writes of the transition it replaces. On failure `from` is reloaded
    // and the edge re-validated against the state that actually won.
    if (state_.compare_exchange_weak(from, to, std::memory_order_acq_rel,
                                     std::memory_order_relaxed)) {
      history_.record({tsc_now(), from, to});
      return {true, from, to};
    }
  }
}

TransitionResult Lifecycle::transition_from(LifecycleState expected, LifecycleState to) noexcept {
  if (!is_valid_transition(expected, to)) return {false, expected, to};
  LifecycleState from = expected;
  // acq_rel: as in transition(). A strong CAS: a spurious failure would be misreported.
  if (state_.compare_exchange_strong(from, to, std::memory_order_acq_rel,
                                     std::memory_order_relaxed)) {
    history_.record({tsc_now(), expected, to});
    return {true, expected, to};
  }
  return {false, from, to};
}

}  // namespace tickpath::core
