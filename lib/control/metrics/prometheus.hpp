#pragma once
// GET /metrics: the Prometheus text exposition format (0.0.4) of one ControlSnapshot, accepted by
// `promtool check metrics` (tests/control/meson.build runs it). Counters end in _total; label
// values are escaped.
//
// Latency: tickpath_latency_seconds{stage}, a histogram in seconds on fixed bounds (100 ns .. 1 s,
// then +Inf), folded from the snapshot's log-linear tick buckets. One of our buckets counts toward
// le="b" only when its highest equivalent value, converted with the snapshot's calibration, is
// <= b. A bucket is narrower than 2^-sub_bucket_bits of its values (< 0.79% by default), so a
// value up to ~1% below a bound may be reported in the next bound up: each `le` count is a lower
// bound, never an overstatement. _sum is exact (from the recorded sum), _count is the total.
// Without latency histograms (the null sink) the family is left out. With two lines
// (ingest.lines) the tickpath_line_* families follow (line_figures.hpp).
#include <string>

#include "control/snapshot.hpp"

namespace tickpath::control {

[[nodiscard]] std::string to_prometheus(const ControlSnapshot& snapshot);

}  // namespace tickpath::control
