// The accounting invariants, with violations planted in snapshots: each broken equality or bound
// fails the "accounting" probe with the numbers in its reason; a balanced snapshot passes.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "control/health/invariants.hpp"
#include "core/bus/consumer_loop.hpp"

namespace tickpath::control {
namespace {

// A run in flight: 1000 published, execution 990 consumed (10 in the ring), analytics 900 + 50 lost.
ControlSnapshot in_flight() {
  ControlSnapshot s;
  s.published = 1000;
  s.consumers = {{"execution", 990, 0, 0, 10}, {"analytics", 900, 1, 50, 50}};
  s.executed = 700;
  s.provisional = 290;
  s.execution_consumed_recheck = 990;
  return s;
}

// The same run after the drain: everything accounted for.
ControlSnapshot drained() {
  ControlSnapshot s = in_flight();
  s.consumers = {{"execution", 1000, 0, 0, 0}, {"analytics", 950, 1, 50, 0}};
  s.provisional = 300;
  s.execution_consumed_recheck = 1000;
  return s;
}

bool mentions(const ProbeResult& r, const std::string& text) { return r.reason.find(text) != std::string::npos; }

TEST(Invariants, ABalancedRunPassesWhileRunningAndAfterTheDrain) {
  const ProbeResult running = check_accounting(in_flight(), Phase::running);
  EXPECT_EQ(running.name, "accounting");
  EXPECT_EQ(running.status, HealthStatus::ok) << running.reason;
  const ProbeResult after = check_accounting(drained(), Phase::drained);
  EXPECT_EQ(after.status, HealthStatus::ok) << after.reason;
}

TEST(Invariants, AConsumerCountingMoreThanWasPublishedFailsWithItsNumbers) {
  ControlSnapshot s = in_flight();
  s.consumers[1].consumed = 960;  // 960 + 50 > 1000
  const ProbeResult r = check_accounting(s, Phase::running);
  EXPECT_EQ(r.status, HealthStatus::fail);
  EXPECT_TRUE(mentions(r, "analytics: consumed 960 + lost 50 > published 1000")) << r.reason;
}

TEST(Invariants, EventsStillUnaccountedAfterTheDrainFail) {
  ControlSnapshot s = drained();
  s.consumers[0].consumed = 999;  // one event neither consumed nor lost
  s.provisional = 299;
  s.execution_consumed_recheck = 999;
  const ProbeResult r = check_accounting(s, Phase::drained);
  EXPECT_EQ(r.status, HealthStatus::fail);
  EXPECT_TRUE(mentions(r, "execution: consumed 999 + lost 0 != published 1000")) << r.reason;
  // The same numbers in a running snapshot are only lag, not a violation.
  EXPECT_EQ(check_accounting(s, Phase::running).status, HealthStatus::ok);
}

TEST(Invariants, DecisionsBehindConsumedFail) {
  ControlSnapshot s = in_flight();
  s.provisional = 289;  // 700 + 289 < 990: an event consumed but never decided
  const ProbeResult r = check_accounting(s, Phase::running);
  EXPECT_EQ(r.status, HealthStatus::fail);
  EXPECT_TRUE(mentions(r, "executed 700 + provisional 289 < consumed 990")) << r.reason;
}

TEST(Invariants, DecisionsMayRunAheadByOneBatchWhileRunningButNoMore) {
  ControlSnapshot s = in_flight();
  s.provisional = 290 + core::kConsumerBatch;  // a whole batch decided, not yet counted consumed
  EXPECT_EQ(check_accounting(s, Phase::running).status, HealthStatus::ok);
  s.provisional += 1;
  const ProbeResult r = check_accounting(s, Phase::running);
  EXPECT_EQ(r.status, HealthStatus::fail);
  EXPECT_TRUE(mentions(r, "> consumed 990 + one batch (32)")) << r.reason;
}

TEST(Invariants, AfterTheDrainDecisionsMustEqualConsumedExactly) {
  ControlSnapshot s = drained();
  s.executed += 1;
  const ProbeResult r = check_accounting(s, Phase::drained);
  EXPECT_EQ(r.status, HealthStatus::fail);
  EXPECT_TRUE(mentions(r, "executed 701 + provisional 300 != consumed 1000")) << r.reason;
}

TEST(Invariants, EveryBrokenInvariantIsNamedInOneReason) {
  ControlSnapshot s = drained();
  s.consumers[0].lost = 5;  // execution: 1005 != 1000
  s.consumers[1].lost = 0;  // analytics: 950 != 1000
  const ProbeResult r = check_accounting(s, Phase::drained);
  EXPECT_TRUE(mentions(r, "execution: consumed 1000 + lost 5")) << r.reason;
  EXPECT_TRUE(mentions(r, "analytics: consumed 950 + lost 0")) << r.reason;
}

TEST(Invariants, CountersNearTwoToThe64DoNotWrapIntoABalance) {
  ControlSnapshot s = drained();
  // consumed + lost wraps to exactly `published` in 64 bits: must still fail.
  s.published = 10;
  s.consumers = {{"execution", UINT64_MAX, 0, 11, 0}};
  s.executed = UINT64_MAX;
  s.provisional = 0;
  s.execution_consumed_recheck = UINT64_MAX;
  const ProbeResult r = check_accounting(s, Phase::drained);
  EXPECT_EQ(r.status, HealthStatus::fail);
  EXPECT_TRUE(mentions(r, "lost 11 != published 10")) << r.reason;
}

TEST(Invariants, TheLogKeepsAViolationAfterLaterIntervalsBalance) {
  InvariantLog log;
  ControlSnapshot bad = in_flight();
  bad.consumers[0].consumed = 2000;
  log.record(check_accounting(in_flight(), Phase::running), 1.0);
  log.record(check_accounting(bad, Phase::running), 2.0);
  log.record(check_accounting(drained(), Phase::drained), 3.0);
  EXPECT_EQ(log.checks(), 3u);
  EXPECT_EQ(log.violations(), 1u);
  const nlohmann::json j = log.to_json();
  ASSERT_EQ(j["first_violations"].size(), 1u);
  EXPECT_NE(j["first_violations"][0].get<std::string>().find("t=2.0s invariant violated: execution: consumed 2000"),
            std::string::npos)
      << j.dump();
}

TEST(Invariants, TheLogKeepsTheFirstViolationsVerbatimAndCountsTheRest) {
  InvariantLog log;
  ControlSnapshot bad = in_flight();
  bad.provisional = 0;
  for (int i = 0; i < 100; ++i) log.record(check_accounting(bad, Phase::running), i);
  EXPECT_EQ(log.violations(), 100u);
  EXPECT_EQ(log.to_json()["first_violations"].size(), InvariantLog::kKeptViolations);
}

}  // namespace
}  // namespace tickpath::control
