// The runbook degrades on a stale feed, restores when it returns, and never undoes an operator.
#include <gtest/gtest.h>

#include "control/automation/runbook.hpp"

namespace tickpath::control {
namespace {

using enum core::LifecycleState;

core::Lifecycle& made_ready(core::Lifecycle& lc) {
  EXPECT_TRUE(lc.transition(warmup).ok);
  EXPECT_TRUE(lc.transition(core::LifecycleState::ready).ok);
  return lc;
}

TEST(Runbook, StaleFeedDeclaresAnOutageAndItsReturnEndsIt) {
  core::Lifecycle lc;
  FailureInjector f(made_ready(lc));
  Runbook rb(f);
  EXPECT_FALSE(rb.step(false).has_value());
  const auto on = rb.step(true);
  ASSERT_TRUE(on.has_value());
  EXPECT_NE(on->find("READY -> DEGRADED"), std::string::npos) << *on;
  EXPECT_EQ(lc.current(), degraded);
  EXPECT_FALSE(rb.step(true).has_value()) << "still stale: nothing new to do";
  const auto off = rb.step(false);
  ASSERT_TRUE(off.has_value());
  EXPECT_EQ(lc.current(), core::LifecycleState::ready);
  EXPECT_EQ(rb.actions(), 2u);
}

TEST(Runbook, NeverEndsAnOutageAnOperatorStarted) {
  core::Lifecycle lc;
  FailureInjector f(made_ready(lc));
  ASSERT_TRUE(f.activate(Scenario::market_data_outage).ok);
  Runbook rb(f);
  EXPECT_FALSE(rb.step(true).has_value());
  EXPECT_FALSE(rb.step(false).has_value());
  EXPECT_EQ(lc.current(), degraded);
  EXPECT_TRUE(f.active(Scenario::market_data_outage));
}

TEST(Runbook, StaleDuringInitIsReportedAndChangesNothing) {
  core::Lifecycle lc;
  FailureInjector f(lc);
  Runbook rb(f);
  const auto r = rb.step(true);
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->find("INIT"), std::string::npos) << *r;
  EXPECT_EQ(lc.current(), init);
  EXPECT_FALSE(rb.engaged());
}

}  // namespace
}  // namespace tickpath::control
