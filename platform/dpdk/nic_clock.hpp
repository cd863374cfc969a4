#pragma once
// The NIC timestamp clock's map onto the TSC, measured before the run and checked after it
// (summary.json platform.clock.nic). A NIC clock drifting against the TSC adds error proportional
// to the run's length; PTP-disciplined NIC clocks drift by parts per million.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "control/metrics/metrics_sink.hpp"
#include "core/time/calibration.hpp"
#include "platform/dpdk/port.hpp"

namespace tickpath::platform {

// NIC clock -> TSC from two bracketed (TSC, rte_eth_read_clock) pairs 50 ms apart, the narrowest
// of several tries each. Invalid when the port stamps nothing or its clock cannot be read.
[[nodiscard]] control::NicClockMap measure_nic_clock(const Port& port);
// The NIC map's error at the end of the run: the TSC it predicts for a NIC reading now minus the
// TSC actually read with it, in ns (null when the map is invalid).
[[nodiscard]] nlohmann::json nic_clock_drift(const Port& port, const control::NicClockMap& map,
                                             const core::TscCalibration& calibration);

}  // namespace tickpath::platform
