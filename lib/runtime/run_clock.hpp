#pragma once
// The clocks of a run that need no NIC, proven before it starts and checked after it ends: the
// TSC must be invariant and its rate measured against CLOCK_MONOTONIC_RAW within a stated bound
// (or `run` refuses to start, exit 2, before the EAL); the wall-clock map turns ack TSCs into
// CLOCK_REALTIME for wall_to_ack. Both report their drift over the run in summary.json's
// platform.clock and platform.wall_clock. The NIC clock's map is platform/dpdk/nic_clock.hpp.
#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "control/metrics/metrics_sink.hpp"
#include "core/time/calibration.hpp"

namespace tickpath::runtime {

// /proc/cpuinfo must show constant_tsc and nonstop_tsc, and calibrate() must succeed. Returns the
// calibration, or the error to print (the caller exits 2 before the EAL).
[[nodiscard]] std::variant<core::CalibrationResult, std::string> prove_tsc();

// platform.clock: reference, rate, error bound, invariant flag, brackets; and, after the run,
// the TSC's drift against CLOCK_MONOTONIC_RAW since the calibration.
[[nodiscard]] nlohmann::json clock_facts(const core::CalibrationResult& calibration);
void add_drift(nlohmann::json& clock, const core::CalibrationResult& calibration);

// One paired read of (TSC, CLOCK_REALTIME): the TSC read on both sides of clock_gettime, the
// narrowest of a few tries kept, the midpoint taken as the TSC of that instant. CLOCK_REALTIME is
// NTP/PTP-slewed, so over a run it drifts from any fixed map (measured at the end: wall_clock_facts).
struct WallClockPair {
  std::uint64_t realtime_ns = 0;
  core::Ticks tsc = 0;
  core::Ticks window = 0;  // TSC ticks the clock_gettime took: the pair's uncertainty
};
[[nodiscard]] WallClockPair read_wall_clock_pair();

// The map's rate comes from two pairs: `first`, taken before preflight, and a second one read
// here, just before the sink is built (preflight lies between: a few hundred ms). The TSC
// calibration's own rate (100 ms against CLOCK_MONOTONIC on a busy machine) was tens of ppm off
// CLOCK_REALTIME: hundreds of microseconds over a 10 s run, more than a veth hop. Falls back to
// the calibration's rate when the pairs are less than 50 ms apart.
[[nodiscard]] control::WallClockMap measure_wall_clock(const WallClockPair& first,
                                                       const core::TscCalibration& calibration);

// summary.json platform.wall_clock: how far the start-up map has drifted from a fresh paired read
// at the end of the run, i.e. the error the map itself adds to every wall_to_ack sample by then.
[[nodiscard]] nlohmann::json wall_clock_facts(const control::WallClockMap& map,
                                              const core::TscCalibration& calibration);

}  // namespace tickpath::runtime
