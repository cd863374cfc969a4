#pragma once
// What the appliance tells its service manager (the sd_notify protocol), decided here and sent by
// platform/systemd. Pure: no clock, no socket, so every rule below is unit-tested.
//
//   READY=1     once, at the first control-loop check that finds the lifecycle has reached READY
//               (from the transition history: a READY that was left again before the check still
//               counts, so a quick READY -> DEGRADED never hides readiness)
//   STATUS=...  each interval: lifecycle state and events/s
//   WATCHDOG=1  at a check where every hot thread advanced its work or idle heartbeat since the
//               previous check; a wedged hot loop stops the pings and the manager restarts us
//   STOPPING=1  once, when shutdown begins; nothing is sent after it
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickpath::runtime {

// One hot thread as the control loop sees it.
struct ThreadProgress {
  std::uint64_t work = 0;        // events published (ingest) or consumed (execution)
  std::uint64_t idle_polls = 0;  // LoopHeartbeat::idle_polls
};

class ServiceNotifications {
 public:
  // READY=1 the first time `reached_ready` is true, then never again.
  [[nodiscard]] std::optional<std::string> on_lifecycle(bool reached_ready);

  // STATUS= for one interval.
  [[nodiscard]] std::optional<std::string> on_interval(std::string_view state, double events_per_s) const;

  // WATCHDOG=1 when every thread in `threads` moved since the previous call (the first call only
  // records). The set of threads must be the same on every call.
  [[nodiscard]] std::optional<std::string> on_watchdog_check(const std::vector<ThreadProgress>& threads);

  // STOPPING=1, once.
  [[nodiscard]] std::optional<std::string> on_shutdown();

  [[nodiscard]] bool stopping() const noexcept { return stopping_; }
  [[nodiscard]] bool ready_sent() const noexcept { return ready_sent_; }

 private:
  bool ready_sent_ = false;
  bool stopping_ = false;
  std::optional<std::vector<ThreadProgress>> last_;
};

}  // namespace tickpath::runtime
