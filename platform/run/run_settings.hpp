#pragma once
// What the config asks of the parts of a run that do not read config::Config themselves: the
// control plane's settings and health thresholds, and the failure schedule's windows. Pure; in
// platform/run because lib/control (which owns both types) does not depend on lib/config.
#include <vector>

#include "config/config.hpp"
#include "control/failure/schedule.hpp"
#include "control/plane/control_plane.hpp"

namespace tickpath::platform {

// http.listen, automation.enabled and the [health] thresholds in the units the probes compare
// in (seconds, events, nanoseconds); health.max_lag_events = 0 means the ring's capacity.
[[nodiscard]] control::ControlPlaneSettings control_settings(const config::Config& config);

// [[failure.schedule]] as the execution consumer's schedule takes it (names validated by the config).
[[nodiscard]] std::vector<control::ScheduleWindow> schedule_windows(const config::Config& config);

}  // namespace tickpath::platform
