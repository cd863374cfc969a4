// The live line from the recorded tick and the one before it: rates and "+n" are the interval's,
// latency percentiles are of the interval's samples only (the 100 us samples of the tick before
// are not in them).
#include <string>

#include <gtest/gtest.h>

#include "control/plane/live_line.hpp"
#include "recorded_snapshot.hpp"

namespace tickpath::control {
namespace {

TEST(LiveLine, ShowsTheIntervalsRateDeltasLatencyAndLinesFromTwoSnapshots) {
  const ControlSnapshot before = testing::recorded_snapshot_before();
  // 41,000 events in 1 s; 7 more missed; analytics lapped 12 more times; the interval's samples
  // are 800 ns, 2 us and 31 us (each shown as its bucket's highest value, < 1% above), and the
  // 100 us ones of the tick before are not among them.
  EXPECT_EQ(live_line(testing::recorded_snapshot(), &before),
            "t=2.0s READY    events/s   41.0k  nic_missed +7  overruns exec +0 analytics +12  ingest_to_ack p50 803ns "
            "p99 2.01us max 31.10us  wire_to_ack p50 5.02us p99 5.02us  A won 24000 gaps 3 | B won 18000 gaps 4 | "
            "lost 1 | skew p50 +120ns p99 +120ns");
}

TEST(LiveLine, TheFirstIntervalCountsFromZeroAtUptimeZero) {
  ControlSnapshot first = testing::recorded_snapshot_before();
  first.lines.clear();
  EXPECT_EQ(live_line(first, nullptr),
            "t=1.0s WARMUP   events/s    1.0k  nic_missed +2  overruns exec +1 analytics +3  ingest_to_ack p50 "
            "100.00us p99 100.00us max 100.00us");
}

TEST(LiveLine, SaysLatencyIsOffWithTheNullSinkAndLeavesOutAnalyticsWhenItIsOff) {
  ControlSnapshot now = testing::recorded_snapshot();
  ControlSnapshot before = testing::recorded_snapshot_before();
  for (ControlSnapshot* s : {&now, &before}) {
    s->latency.clear();
    s->consumers.pop_back();
    s->lines.clear();
  }
  const std::string line = live_line(now, &before);
  EXPECT_EQ(line, "t=2.0s READY    events/s   41.0k  nic_missed +7  overruns exec +0  latency off (null sink)");
}

TEST(LiveLine, AnIntervalWithoutSamplesShowsADashAndNoWireStage) {
  const ControlSnapshot now = testing::recorded_snapshot();
  ControlSnapshot later = now;
  later.uptime_s = 3.0;
  const std::string line = live_line(later, &now);
  EXPECT_NE(line.find("events/s       0  nic_missed +0  overruns exec +0 analytics +0  ingest_to_ack -  A won"),
            std::string::npos) << line;
  EXPECT_EQ(line.find("wire_to_ack"), std::string::npos) << line;
}

}  // namespace
}  // namespace tickpath::control
