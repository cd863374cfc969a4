#pragma once
// Runtime invariants of the event accounting, checked by the control plane every interval and
// once more after the drain. Every published event ends up exactly once as consumed or lost (per
// consumer), and every event the execution consumer consumed was decided exactly once:
//
//     consumed + lost == published              per consumer
//     executed + provisional == consumed        execution consumer
//
// While the pipeline runs the counters move under the reader, so the equalities hold only once
// the threads are joined (Phase::drained). During the run the aggregator reads the counters in an
// order that turns them into exact bounds (control/plane/aggregator.cpp, with the release stores
// of core::Counter and the ingest stage counting an event before the ring publishes it):
//
//     consumed + lost <= published              read consumers first, published last
//     consumed <= executed + provisional <= consumed_recheck + kConsumerBatch
//                                               the decisions of a batch are counted before the
//                                               batch's `consumed`, so they may run ahead by one
//                                               batch of the second read of `consumed`
//
// A violation is a failed probe, "accounting", whose reason carries the numbers; it is never
// silenced and never clamped away.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/health/probes.hpp"
#include "control/snapshot.hpp"

namespace tickpath::control {

enum class Phase : std::uint8_t { running, drained };

// The "accounting" probe: ok, or fail naming each broken invariant with its numbers.
[[nodiscard]] ProbeResult check_accounting(const ControlSnapshot& snapshot, Phase phase);

// Every check of a run, kept for the summary: a violation seen once stays in the record even if a
// later interval balances again (control.invariants in summary.json).
class InvariantLog {
 public:
  static constexpr std::size_t kKeptViolations = 32;  // the first ones, verbatim; the rest counted

  void record(const ProbeResult& accounting, double uptime_s);
  [[nodiscard]] std::uint64_t checks() const noexcept { return checks_; }
  [[nodiscard]] std::uint64_t violations() const noexcept { return violations_; }
  // {"checks": N, "violations": V, "first_violations": ["t=3.0s invariant violated: ...", ...]}
  [[nodiscard]] nlohmann::json to_json() const;

 private:
  std::uint64_t checks_ = 0;
  std::uint64_t violations_ = 0;
  std::vector<std::string> first_;
};

}  // namespace tickpath::control
