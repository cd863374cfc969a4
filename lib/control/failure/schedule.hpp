#pragma once
// The deterministic failure schedule ([[failure.schedule]]): scenario windows keyed by the
// execution consumer's event count, so a run degrades on exactly the same events on every
// machine, fast or slow. It is a runtime::Milestones: the execution driver caps its batches so
// the consumed count lands on each edge, then calls reach() between batches (never per event).
// Everything is built at start-up; reach() does not allocate and never waits for a lock (it uses
// FailureInjector::try_*; when an operator call holds the lock it retries after the next batch,
// the only case in which an edge lands late, and the summary shows where it landed).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/failure/scenario.hpp"

namespace tickpath::control {

struct ScheduleWindow {
  Scenario scenario;
  std::uint64_t at_event;    // first event of the window (0-based index of consumed events)
  std::uint64_t for_events;  // > 0
};

struct ScheduleEdge {
  std::uint64_t at = 0;  // the consumed count at which the edge is due
  Scenario scenario = Scenario::market_data_outage;
  bool activate = false;
  // filled in when applied
  bool applied = false;
  std::uint64_t applied_at = 0;  // consumed count when it was applied (== at unless delayed)
  bool ok = false;
};

class FailureSchedule {
 public:
  FailureSchedule(FailureInjector& injector, const std::vector<ScheduleWindow>& windows);

  [[nodiscard]] std::uint64_t next(std::uint64_t done) const noexcept;
  void reach(std::uint64_t done) noexcept;
  [[nodiscard]] bool finished() const noexcept { return pending_ == edges_.size(); }

  // Control plane, after the run (the execution thread has been joined).
  [[nodiscard]] const std::vector<ScheduleEdge>& edges() const noexcept { return edges_; }

 private:
  FailureInjector* injector_;
  std::vector<ScheduleEdge> edges_;  // sorted by `at`; deactivations first at equal `at`
  std::size_t pending_ = 0;          // index of the first edge not applied yet
};

// summary.json `failure.schedule`: each edge as applied, in order (scenario, action, at_event,
// applied, applied_at_event, ok).
[[nodiscard]] nlohmann::json to_json(const std::vector<ScheduleEdge>& edges);

}  // namespace tickpath::control
