#pragma once
// One line per interval while the appliance runs: what an operator watches on a terminal.
//   t=3.0s READY  events/s 41.2M  nic_missed +0  overruns exec +0 analytics +12  ingest_to_ack p50 812ns p99 2.1us max 31us
// Latency percentiles are of the last interval only (histogram snapshot minus the previous one).
#include <cstdint>
#include <string>

#include "apps/tickpath/observables.hpp"
#include "control/metrics/histogram_snapshot.hpp"
#include "report/number_format.hpp"

namespace tickpath::app {

class LiveStats {
 public:
  explicit LiveStats(const Observables& observed);

  // The line for the interval since the previous call (or since construction).
  [[nodiscard]] std::string next_line(double elapsed_s);

 private:
  const Observables* observed_;
  double last_s_ = 0;
  std::uint64_t last_events_ = 0;
  std::uint64_t last_missed_ = 0;
  std::uint64_t last_exec_overruns_ = 0;
  std::uint64_t last_analytics_overruns_ = 0;
  control::HistogramSnapshot last_latency_;
  control::HistogramSnapshot last_wire_;  // wire_to_ack: shown only in intervals that have samples
};

using report::format_ns;
using report::format_rate;

}  // namespace tickpath::app
