#pragma once
// When a run's control loop reports and when its time is up, from the time the loop hands it:
// one interval every run.stats_interval_ms, each due one interval after the last was due (a late
// tick does not push the rest back, so intervals do not drift), and the deadline at start +
// run.duration_s, which only applies without an event limit (with one, the run ends on its
// events however long that takes). Pure: no clock is read here, so it is tested with made-up times.
#include <chrono>

namespace tickpath::runtime {

class RunTimer {
 public:
  using Clock = std::chrono::steady_clock;

  RunTimer(Clock::time_point started, std::chrono::milliseconds interval, double duration_s, bool event_limit) noexcept
      : started_(started),
        interval_(interval),
        next_(started + interval),
        deadline_(started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration_s))),
        event_limit_(event_limit) {}

  // True once per interval that has come due by `now`.
  [[nodiscard]] bool interval_due(Clock::time_point now) noexcept {
    if (now < next_) return false;
    next_ += interval_;
    return true;
  }
  [[nodiscard]] bool past_deadline(Clock::time_point now) const noexcept { return !event_limit_ && now >= deadline_; }
  [[nodiscard]] double uptime_s(Clock::time_point now) const noexcept {
    return std::chrono::duration<double>(now - started_).count();
  }

 private:
  Clock::time_point started_;
  Clock::duration interval_;
  Clock::time_point next_;
  Clock::time_point deadline_;
  bool event_limit_;
};

}  // namespace tickpath::runtime
