#include "runtime/service_notify.hpp"

#include <cstdio>

namespace tickpath::runtime {

std::optional<std::string> ServiceNotifications::on_lifecycle(bool reached_ready) {
  if (stopping_ || ready_sent_ || !reached_ready) return std::nullopt;
  ready_sent_ = true;
  return std::string("READY=1");
}

std::optional<std::string> ServiceNotifications::on_interval(std::string_view state, double events_per_s) const {
  if (stopping_) return std::nullopt;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.0f", events_per_s);
  return "STATUS=" + std::string(state) + ", " + rate + " events/s";
}

std::optional<std::string> ServiceNotifications::on_watchdog_check(const std::vector<ThreadProgress>& threads) {
  if (stopping_ || threads.empty()) return std::nullopt;
  const std::optional<std::vector<ThreadProgress>> before = std::move(last_);
  last_ = threads;
  if (!before || before->size() != threads.size()) return std::nullopt;
  for (std::size_t i = 0; i < threads.size(); ++i) {
    const bool moved = threads[i].work != (*before)[i].work || threads[i].idle_polls != (*before)[i].idle_polls;
    if (!moved) return std::nullopt;
  }
  return std::string("WATCHDOG=1");
}

std::optional<std::string> ServiceNotifications::on_shutdown() {
  if (stopping_) return std::nullopt;
  stopping_ = true;
  return std::string("STOPPING=1");
}

}  // namespace tickpath::runtime
