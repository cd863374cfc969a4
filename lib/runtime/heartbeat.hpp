#pragma once
// A hot loop's sign of life while it has nothing to do. The service watchdog (service_notify.hpp)
// counts a hot thread as alive when its work counter (events published, events consumed) or its
// idle heartbeat advanced since the last check: a quiet feed is not a wedged loop, a loop stuck
// inside one poll advances neither.
//
// HeartbeatIdle wraps the loop's idle strategy, so only the empty-poll branch pays for it (one
// relaxed add to a line the thread owns); a busy loop is proven alive by its work counter and
// runs exactly as before.
#include <string_view>

#include "core/cacheline.hpp"
#include "core/counter.hpp"

namespace tickpath::runtime {

// Written by one hot thread only, read by the control loop. Its own line: the control loop's
// read must not share a line with anything the hot thread writes per event.
struct alignas(core::kFalseSharingRange) LoopHeartbeat {
  core::Counter idle_polls;
};

template <class Idle>
class HeartbeatIdle {
 public:
  static constexpr std::string_view kName = Idle::kName;
  explicit HeartbeatIdle(LoopHeartbeat& beat, Idle idle = {}) noexcept : beat_(&beat), idle_(idle) {}
  void operator()() noexcept {
    beat_->idle_polls.add();
    idle_();
  }
  void reset() noexcept { idle_.reset(); }

 private:
  LoopHeartbeat* beat_;
  Idle idle_;
};

}  // namespace tickpath::runtime
