// Health probes from two snapshots: each probe's ok path and its warn/fail path.
#include <gtest/gtest.h>

#include "control/health/probes.hpp"
#include "control/metrics/histogram.hpp"

namespace tickpath::control {
namespace {

ControlSnapshot base() {
  ControlSnapshot s;
  s.calibration = core::TscCalibration(1e9);  // 1 tick = 1 ns
  s.link_up = true;
  s.uptime_s = 10;
  s.taken_tsc = 10'000'000'000;
  s.last_event_tsc = s.taken_tsc - 1'000'000;  // 1 ms ago
  s.consumers = {{"execution", 100, 0, 0, 10}, {"analytics", 90, 0, 10, 0}};
  return s;
}

HealthStatus status_of(const std::vector<ProbeResult>& r, const char* name) {
  const ProbeResult* p = find_probe(r, name);
  EXPECT_NE(p, nullptr) << name;
  return p == nullptr ? HealthStatus::fail : p->status;
}

TEST(Health, AHealthyRunIsOkEverywhere) {
  const auto r = evaluate_health(base(), base(), HealthThresholds{});
  EXPECT_EQ(r.size(), 5u);
  EXPECT_EQ(worst(r), HealthStatus::ok);
  EXPECT_EQ(to_json(r)["status"], "ok");
}

TEST(Health, FeedStaleFailsAfterTheThresholdAndWarnsWhenTheLinkIsDown) {
  ControlSnapshot now = base();
  now.last_event_tsc = now.taken_tsc - 3'000'000'000;  // 3 s
  auto r = evaluate_health(base(), now, HealthThresholds{2.0, 1000});
  EXPECT_EQ(status_of(r, "feed_stale"), HealthStatus::fail);
  EXPECT_NE(find_probe(r, "feed_stale")->reason.find("3.0s"), std::string::npos) << find_probe(r, "feed_stale")->reason;
  now.link_up = false;
  r = evaluate_health(base(), now, HealthThresholds{2.0, 1000});
  EXPECT_EQ(status_of(r, "feed_stale"), HealthStatus::warn);
}

TEST(Health, NoFrameAtAllIsStaleOnlyOnceUptimePassesTheThreshold) {
  ControlSnapshot now = base();
  now.last_event_tsc = 0;
  now.uptime_s = 1.0;
  EXPECT_EQ(status_of(evaluate_health(now, now, HealthThresholds{2.0, 1000}), "feed_stale"), HealthStatus::ok);
  now.uptime_s = 2.5;
  EXPECT_EQ(status_of(evaluate_health(now, now, HealthThresholds{2.0, 1000}), "feed_stale"), HealthStatus::fail);
}

TEST(Health, RisingGapsAndNicDropsWarnWithTheDelta) {
  ControlSnapshot before = base();
  ControlSnapshot now = base();
  now.feed_gaps = 7;
  now.nic_missed = 3;
  now.nic_rx_nombuf = 2;
  const auto r = evaluate_health(before, now, HealthThresholds{});
  EXPECT_EQ(status_of(r, "feed_gap"), HealthStatus::warn);
  EXPECT_NE(find_probe(r, "feed_gap")->reason.find("+7"), std::string::npos);
  EXPECT_EQ(status_of(r, "nic_drops"), HealthStatus::warn);
  EXPECT_NE(find_probe(r, "nic_drops")->reason.find("+5"), std::string::npos);
  EXPECT_NE(find_probe(r, "nic_drops")->reason.find("imissed +3, rx_nombuf +2"), std::string::npos)
      << find_probe(r, "nic_drops")->reason;
  EXPECT_EQ(status_of(evaluate_health(now, now, HealthThresholds{}), "nic_drops"), HealthStatus::ok)
      << "not rising any more";
}

TEST(Health, AnalyticsOverrunsWarnButExecutionOverrunsFail) {
  ControlSnapshot now = base();
  now.consumers[1].overruns = 2;
  EXPECT_EQ(status_of(evaluate_health(base(), now, HealthThresholds{}), "consumer_overruns"), HealthStatus::warn);
  now.consumers[0].overruns = 1;
  const auto r = evaluate_health(base(), now, HealthThresholds{});
  EXPECT_EQ(status_of(r, "consumer_overruns"), HealthStatus::fail);
  EXPECT_NE(find_probe(r, "consumer_overruns")->reason.find("execution +1"), std::string::npos);
}

TEST(Health, ExecutionLagWarnsAboveHalfAndFailsAboveTheLimit) {
  ControlSnapshot now = base();
  now.consumers[0].lag = 600;
  EXPECT_EQ(status_of(evaluate_health(base(), now, HealthThresholds{2.0, 1000}), "execution_lag"), HealthStatus::warn);
  now.consumers[0].lag = 1001;
  EXPECT_EQ(status_of(evaluate_health(base(), now, HealthThresholds{2.0, 1000}), "execution_lag"), HealthStatus::fail);
}

}  // namespace
}  // namespace tickpath::control

// ---- ingest.lines: line_health ---------------------------------------------------------------

namespace tickpath::control {
namespace {

ControlSnapshot two_lines(core::Ticks a_ago, core::Ticks b_ago) {
  ControlSnapshot s = base();
  s.lines = {{'A', 100, s.taken_tsc - a_ago}, {'B', 100, s.taken_tsc - b_ago}};
  return s;
}

TEST(LineHealth, OnlyRunsWithTwoLines) {
  EXPECT_EQ(find_probe(evaluate_health(base(), base(), HealthThresholds{}), "line_health"), nullptr);
  const auto r = evaluate_health(two_lines(1000, 1000), two_lines(1000, 1000), HealthThresholds{});
  EXPECT_EQ(status_of(r, "line_health"), HealthStatus::ok);
}

TEST(LineHealth, ASilentLineWhileTheOtherFlowsWarnsAndSaysTheRunStaysReadyOnTheOther) {
  const ControlSnapshot now = two_lines(1'000, 3'000'000'000);  // B silent for 3 s
  const auto r = evaluate_health(now, now, HealthThresholds{2.0, 1000});
  EXPECT_EQ(status_of(r, "line_health"), HealthStatus::warn);
  const std::string& why = find_probe(r, "line_health")->reason;
  EXPECT_NE(why.find("line B silent for 3.0s"), std::string::npos) << why;
  EXPECT_NE(why.find("ready on line A alone"), std::string::npos) << why;
  EXPECT_EQ(status_of(r, "feed_stale"), HealthStatus::ok) << "the feed as a whole is fresh";
}

TEST(LineHealth, SkewBeyondTheBoundInTheLastIntervalWarnsNamingTheLaggingLine) {
  Histogram b_later, a_later;
  ControlSnapshot before = two_lines(1000, 1000);
  before.line_skew_b_later = b_later.snapshot();
  before.line_skew_a_later = a_later.snapshot();
  for (int i = 0; i < 100; ++i) b_later.record(5'000);  // B 5 us after A, 1 tick = 1 ns
  ControlSnapshot now = two_lines(1000, 1000);
  now.line_skew_b_later = b_later.snapshot();
  now.line_skew_a_later = a_later.snapshot();
  HealthThresholds t;
  t.max_line_skew_ns = 2'000;
  auto r = evaluate_health(before, now, t);
  EXPECT_EQ(status_of(r, "line_health"), HealthStatus::warn);
  EXPECT_NE(find_probe(r, "line_health")->reason.find("line B lagging"), std::string::npos)
      << find_probe(r, "line_health")->reason;
  // The next interval has no new samples: the old episode no longer warns.
  r = evaluate_health(now, now, t);
  EXPECT_EQ(status_of(r, "line_health"), HealthStatus::ok) << find_probe(r, "line_health")->reason;
}

}  // namespace
}  // namespace tickpath::control
