#pragma once
// The aggregator: once per interval, on the control (housekeeping) thread, it turns the
// single-writer counters and histograms into one ControlSnapshot, and keeps the latest for the
// operator interfaces (HTTP, DPDK telemetry), which copy it under a mutex of their own. It is
// lossy by design and says so: if the control thread is late, an interval is longer, never
// missing from the cumulative counters; the hot threads are never asked to wait.
#include <functional>
#include <mutex>

#include "control/failure/scenario.hpp"
#include "control/plane/observables.hpp"
#include "control/snapshot.hpp"

namespace tickpath::control {


class Aggregator {
 public:
  Aggregator(const Observables& observed, const FailureInjector& failures,
             std::function<bool()> link_up);

  // Builds a snapshot now (control thread) and makes it the latest.
  const ControlSnapshot& take(double uptime_s);

  // Any thread: a copy of the latest snapshot. Counters are as of the last interval; the
  // lifecycle state, link, readiness and active failures are read now, so /readyz and
  // /state never answer with a state up to an interval old.
  [[nodiscard]] ControlSnapshot latest() const;

 private:
  const Observables* observed_;
  const FailureInjector* failures_;
  std::function<bool()> link_up_;
  ControlSnapshot current_;
  mutable std::mutex latest_mutex_;
  ControlSnapshot latest_;
};

}  // namespace tickpath::control
