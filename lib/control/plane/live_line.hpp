#pragma once
// One line per interval while the appliance runs: what an operator watches on a terminal.
//   t=3.0s READY    events/s   41.2M  nic_missed +0  overruns exec +0 analytics +12  ingest_to_ack p50 812ns p99 2.1us max 31us
// A pure function of the interval's two snapshots: rates and "+n" are `now` minus `before`, and
// latency percentiles are of the interval alone (cumulative histogram minus the previous one).
// before == nullptr: the first interval, counted from zero at uptime 0.
#include <string>

#include "control/snapshot.hpp"

namespace tickpath::control {

[[nodiscard]] std::string live_line(const ControlSnapshot& now, const ControlSnapshot* before);

}  // namespace tickpath::control
