#include "control/health/invariants.hpp"

#include <string>

#include <fmt/format.h>

#include "core/bus/consumer_loop.hpp"

namespace tickpath::control {

ProbeResult check_accounting(const ControlSnapshot& s, Phase phase) {
  const bool drained = phase == Phase::drained;
  std::string broken;
  const auto report = [&broken](std::string what) { broken += (broken.empty() ? "" : "; ") + std::move(what); };

  for (const ConsumerSnapshot& c : s.consumers) {
    // Sums in 128 bits: counters near 2^64 must not wrap into a false "ok".
    const unsigned __int128 accounted = static_cast<unsigned __int128>(c.consumed) + c.lost;
    const bool ok = drained ? accounted == s.published : accounted <= s.published;
    if (!ok) {
      report(fmt::format("{}: consumed {} + lost {} {} published {}", c.name, c.consumed, c.lost,
                         drained ? "!=" : ">", s.published));
    }
  }
  for (const ConsumerSnapshot& c : s.consumers) {
    if (c.name != "execution") continue;
    const unsigned __int128 decided = static_cast<unsigned __int128>(s.executed) + s.provisional;
    if (drained) {
      if (decided != c.consumed) {
        report(fmt::format("executed {} + provisional {} != consumed {}", s.executed, s.provisional, c.consumed));
      }
    } else if (decided < c.consumed) {
      report(fmt::format("executed {} + provisional {} < consumed {}", s.executed, s.provisional, c.consumed));
    } else if (decided > static_cast<unsigned __int128>(s.execution_consumed_recheck) + core::kConsumerBatch) {
      report(fmt::format("executed {} + provisional {} > consumed {} + one batch ({})", s.executed, s.provisional,
                         s.execution_consumed_recheck, core::kConsumerBatch));
    }
  }
  if (!broken.empty()) return {"accounting", HealthStatus::fail, "invariant violated: " + broken};
  return {"accounting", HealthStatus::ok,
          drained ? "consumed + lost == published per consumer, executed + provisional == consumed"
                  : "consumed + lost <= published per consumer, decisions within one batch of consumed"};
}

void InvariantLog::record(const ProbeResult& accounting, double uptime_s) {
  ++checks_;
  if (accounting.status == HealthStatus::ok) return;
  ++violations_;
  if (first_.size() < kKeptViolations) first_.push_back(fmt::format("t={:.1f}s {}", uptime_s, accounting.reason));
}

nlohmann::json InvariantLog::to_json() const {
  return {{"checks", checks_}, {"violations", violations_}, {"first_violations", first_}};
}

}  // namespace tickpath::control
