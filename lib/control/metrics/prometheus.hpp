#pragma once
// GET /metrics: the Prometheus text exposition format (0.0.4) of one ControlSnapshot. Counters
// end in _total; latencies are histograms in seconds with fixed bucket bounds, computed from our
// log-linear buckets (each of ours is counted under the first bound >= its highest value, so a
// bound is honest to the histogram's < 1% bucket width).
#include <string>

#include "control/snapshot.hpp"

namespace tickpath::control {

[[nodiscard]] std::string to_prometheus(const ControlSnapshot& snapshot);

}  // namespace tickpath::control
