#pragma once
// The clocks of a run, proven before it starts and checked after it ends: the TSC must be
// invariant and its rate measured against CLOCK_MONOTONIC_RAW within a stated bound (or `run`
// refuses to start, exit 2, before the EAL); the NIC clock's map onto the TSC comes from
// bracketed pairs; both report their drift over the run in summary.json's platform.clock.
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "control/metrics/metrics_sink.hpp"
#include "core/time/calibration.hpp"
#include "platform/dpdk/port.hpp"

namespace tickpath::app {

// /proc/cpuinfo must show constant_tsc and nonstop_tsc, and calibrate() must succeed. Returns the
// calibration, or the error to print (the caller exits 2 before the EAL).
[[nodiscard]] std::variant<core::CalibrationResult, std::string> prove_tsc();

// platform.clock: reference, rate, error bound, invariant flag, brackets; and, after the run,
// the TSC's drift against CLOCK_MONOTONIC_RAW since the calibration.
[[nodiscard]] nlohmann::json clock_facts(const core::CalibrationResult& calibration);
void add_drift(nlohmann::json& clock, const core::CalibrationResult& calibration);

// NIC clock -> TSC from two bracketed (TSC, rte_eth_read_clock) pairs 50 ms apart, the narrowest
// of several tries each. Invalid when the port stamps nothing or its clock cannot be read.
struct NicClockPair {
  std::uint64_t nic = 0;
  core::Ticks tsc = 0;
  core::Ticks width = 0;
  bool ok = false;
};
[[nodiscard]] NicClockPair read_nic_clock_pair(const platform::Port& port, int tries = 16);
[[nodiscard]] control::NicClockMap measure_nic_clock(const platform::Port& port);
// The NIC map's error at the end of the run: the TSC it predicts for a NIC reading now minus the
// TSC actually read with it, in ns (null when the map is invalid).
[[nodiscard]] nlohmann::json nic_clock_drift(const platform::Port& port, const control::NicClockMap& map,
                                             const core::TscCalibration& calibration);

}  // namespace tickpath::app
