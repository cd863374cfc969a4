// Failure injection: every activation and deactivation path from every state, idempotency,
// overlapping scenarios, many cycles without drift, and a race with the warmup's own transition.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "control/failure/scenario.hpp"

namespace tickpath::control {
namespace {

using enum core::LifecycleState;

void drive(core::Lifecycle& lc, core::LifecycleState target) {
  if (target == init) return;
  ASSERT_TRUE(lc.transition(warmup).ok);
  if (target == ready) {
    ASSERT_TRUE(lc.transition(ready).ok);
  }
  if (target == degraded) {
    ASSERT_TRUE(lc.transition(degraded).ok);
  }
}

TEST(Failure, ScenarioNamesRoundTrip) {
  for (Scenario s : kScenarios) {
    EXPECT_EQ(parse_scenario(to_string(s)), s);
  }
  EXPECT_FALSE(parse_scenario("meteor_strike").has_value());
}

TEST(Failure, ActivationFromInitIsRefusedAndChangesNothing) {
  core::Lifecycle lc;
  FailureInjector f(lc);
  const FailureResult r = f.activate(Scenario::market_data_outage);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("INIT -> DEGRADED"), std::string::npos) << r.message;
  EXPECT_EQ(lc.current(), init);
  EXPECT_FALSE(f.active(Scenario::market_data_outage));
}

class FromState : public ::testing::TestWithParam<core::LifecycleState> {};

TEST_P(FromState, ActivateDegradesAndDeactivateRestoresExactlyThePreviousState) {
  core::Lifecycle lc;
  drive(lc, GetParam());
  FailureInjector f(lc);
  const FailureResult on = f.activate(Scenario::execution_failure);
  ASSERT_TRUE(on.ok) << on.message;
  EXPECT_EQ(lc.current(), degraded);
  const FailureResult off = f.deactivate(Scenario::execution_failure);
  ASSERT_TRUE(off.ok) << off.message;
  EXPECT_EQ(lc.current(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Failure, FromState, ::testing::Values(warmup, ready),
                         [](const auto& info) { return std::string(core::to_string(info.param)); });

TEST(Failure, ActivatingWhileAlreadyDegradedByTheLifecycleIsRefused) {
  // DEGRADED -> DEGRADED is not an edge: the scenario cannot claim a degradation it did not cause.
  core::Lifecycle lc;
  drive(lc, degraded);
  FailureInjector f(lc);
  EXPECT_FALSE(f.activate(Scenario::market_data_outage).ok);
  EXPECT_EQ(lc.current(), degraded);
}

TEST(Failure, BothCallsAreIdempotent) {
  core::Lifecycle lc;
  drive(lc, ready);
  FailureInjector f(lc);
  EXPECT_TRUE(f.deactivate(Scenario::market_data_outage).ok);
  EXPECT_FALSE(f.deactivate(Scenario::market_data_outage).changed);
  EXPECT_EQ(lc.current(), ready);
  EXPECT_TRUE(f.activate(Scenario::market_data_outage).changed);
  const FailureResult again = f.activate(Scenario::market_data_outage);
  EXPECT_TRUE(again.ok);
  EXPECT_FALSE(again.changed);
  EXPECT_TRUE(f.deactivate(Scenario::market_data_outage).changed);
  EXPECT_FALSE(f.deactivate(Scenario::market_data_outage).changed);
  EXPECT_EQ(lc.current(), ready);
}

TEST(Failure, OverlappingScenariosRestoreOnlyWhenTheLastEnds) {
  core::Lifecycle lc;
  drive(lc, ready);
  FailureInjector f(lc);
  ASSERT_TRUE(f.activate(Scenario::market_data_outage).ok);
  ASSERT_TRUE(f.activate(Scenario::execution_failure).ok);
  EXPECT_EQ(f.active_names().size(), 2u);
  ASSERT_TRUE(f.deactivate(Scenario::market_data_outage).ok);
  EXPECT_EQ(lc.current(), degraded) << "execution_failure is still active";
  ASSERT_TRUE(f.deactivate(Scenario::execution_failure).ok);
  EXPECT_EQ(lc.current(), ready);
}

TEST(Failure, HundredCyclesLeaveNoDrift) {
  core::Lifecycle lc;
  drive(lc, ready);
  FailureInjector f(lc);
  for (int i = 0; i < 100; ++i) {
    const Scenario a = i % 2 == 0 ? Scenario::market_data_outage : Scenario::execution_failure;
    ASSERT_TRUE(f.activate(a).ok);
    if (i % 3 == 0) {
      ASSERT_TRUE(f.activate(Scenario::execution_failure).ok);
      ASSERT_TRUE(f.deactivate(Scenario::execution_failure).ok);
    }
    ASSERT_TRUE(f.deactivate(a).ok);
    ASSERT_EQ(lc.current(), ready) << "cycle " << i;
  }
  EXPECT_TRUE(f.active_names().empty());
}

TEST(Failure, WarmupRestoredIsWarmupAndCanStillFinish) {
  core::Lifecycle lc;
  drive(lc, warmup);
  FailureInjector f(lc);
  ASSERT_TRUE(f.activate(Scenario::market_data_outage).ok);
  EXPECT_FALSE(lc.transition_from(warmup, ready).ok) << "warmup cannot finish while degraded";
  ASSERT_TRUE(f.deactivate(Scenario::market_data_outage).ok);
  EXPECT_EQ(lc.current(), warmup);
  EXPECT_TRUE(lc.transition_from(warmup, ready).ok);
}

TEST(FailureConcurrency, ActivationRacingTheWarmupFlipNeverLosesEither) {
  for (int round = 0; round < 200; ++round) {
    core::Lifecycle lc;
    drive(lc, warmup);
    FailureInjector f(lc);
    std::atomic<bool> go{false};
    bool warmup_done = false;
    std::thread warmup_thread([&] {
      while (!go.load()) {
      }
      warmup_done = lc.transition_from(warmup, ready).ok;
    });
    go.store(true);
    const FailureResult r = f.activate(Scenario::market_data_outage);
    warmup_thread.join();
    ASSERT_TRUE(r.ok) << r.message;
    ASSERT_EQ(lc.current(), degraded);
    ASSERT_TRUE(f.deactivate(Scenario::market_data_outage).ok);
    // Whichever came first, deactivation restores what the activation actually replaced.
    EXPECT_EQ(lc.current(), warmup_done && r.from == ready ? ready : r.from);
  }
}

}  // namespace
}  // namespace tickpath::control
