#include "control/failure/schedule.hpp"

#include <algorithm>

namespace tickpath::control {

FailureSchedule::FailureSchedule(FailureInjector& injector, const std::vector<ScheduleWindow>& windows)
    : injector_(&injector) {
  for (const ScheduleWindow& w : windows) {
    edges_.push_back({w.at_event, w.scenario, true});
    edges_.push_back({w.at_event + w.for_events, w.scenario, false});
  }
  // A window ending where another begins: end it first, so the state is restored and degraded
  // again rather than the new window seeing "already DEGRADED".
  std::stable_sort(edges_.begin(), edges_.end(), [](const ScheduleEdge& a, const ScheduleEdge& b) {
    return a.at != b.at ? a.at < b.at : (!a.activate && b.activate);
  });
}

std::uint64_t FailureSchedule::next(std::uint64_t done) const noexcept {
  for (std::size_t i = pending_; i < edges_.size(); ++i) {
    if (edges_[i].at > done) return edges_[i].at;
  }
  return UINT64_MAX;
}

void FailureSchedule::reach(std::uint64_t done) noexcept {
  while (pending_ < edges_.size() && edges_[pending_].at <= done) {
    ScheduleEdge& e = edges_[pending_];
    const std::optional<FailureResult> r =
        e.activate ? injector_->try_activate(e.scenario) : injector_->try_deactivate(e.scenario);
    if (!r) return;  // an operator call holds the lock: retry after the next batch
    e.applied = true;
    e.applied_at = done;
    e.ok = r->ok;
    ++pending_;
  }
}

nlohmann::json to_json(const std::vector<ScheduleEdge>& edges) {
  nlohmann::json out = nlohmann::json::array();
  for (const ScheduleEdge& e : edges) {
    out.push_back({{"scenario", std::string(to_string(e.scenario))},
                   {"action", e.activate ? "activate" : "deactivate"},
                   {"at_event", e.at},
                   {"applied", e.applied},
                   {"applied_at_event", e.applied_at},
                   {"ok", e.ok}});
  }
  return out;
}

}  // namespace tickpath::control
