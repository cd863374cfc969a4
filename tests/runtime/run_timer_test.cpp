// The control loop's intervals and deadline, on made-up times (never the machine's clock).
#include <chrono>

#include <gtest/gtest.h>

#include "runtime/run_timer.hpp"

namespace tickpath::runtime {
namespace {

using namespace std::chrono_literals;
const RunTimer::Clock::time_point t0{};

TEST(RunTimer, AnIntervalIsDueOnceWhenItsTimeComesAndALateTickDoesNotPushTheNextBack) {
  RunTimer timer(t0, 1000ms, 10.0, false);
  EXPECT_FALSE(timer.interval_due(t0 + 999ms));
  EXPECT_TRUE(timer.interval_due(t0 + 1300ms)) << "late by 300 ms";
  EXPECT_FALSE(timer.interval_due(t0 + 1300ms)) << "once";
  EXPECT_TRUE(timer.interval_due(t0 + 2000ms)) << "the next is due at 2 s, not 2.3 s";
}

TEST(RunTimer, TheDurationEndsARunOnlyWithoutAnEventLimit) {
  RunTimer timed(t0, 1000ms, 2.5, false);
  EXPECT_FALSE(timed.past_deadline(t0 + 2499ms));
  EXPECT_TRUE(timed.past_deadline(t0 + 2500ms));
  RunTimer counted(t0, 1000ms, 2.5, true);
  EXPECT_FALSE(counted.past_deadline(t0 + 3600s)) << "with an event limit the run ends on its events";
}

TEST(RunTimer, UptimeIsSecondsSinceTheStart) {
  const RunTimer timer(t0, 100ms, 1.0, false);
  EXPECT_DOUBLE_EQ(timer.uptime_s(t0 + 1500ms), 1.5);
}

}  // namespace
}  // namespace tickpath::runtime
