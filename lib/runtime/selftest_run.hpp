#pragma once
// `tickpath selftest`'s run: the same pipeline parts as `run` (ring, warmup, executor, analytics),
// fed by a truth source with known per-frame delays and a stall, measured by a truth sink, then
// judged (control/selftest). The ring lives in ordinary memory: no EAL, no hugepages, no NIC;
// the threads are not pinned. It proves the measurement chain, not the machine.
#include <cstdint>
#include <string>
#include <variant>

#include "control/selftest/selftest.hpp"
#include "control/selftest/truth_source.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::runtime {

struct SelftestRun {
  control::selftest::SelftestResult result;
  std::uint64_t consumed = 0;  // by the execution consumer
  std::uint64_t lost = 0;      // overwritten before it read them
  std::uint64_t kept = 0;      // in-window acks the truth sink kept
};

// Runs `warmup_steps + window_events` frames of `plan` through the pipeline and judges them.
// Error: warmup could not start (named).
[[nodiscard]] std::variant<SelftestRun, std::string> run_selftest(const control::selftest::TruthPlan& plan,
                                                                  std::uint64_t window_events, unsigned warmup_steps,
                                                                  const core::TscCalibration& calibration);

}  // namespace tickpath::runtime
