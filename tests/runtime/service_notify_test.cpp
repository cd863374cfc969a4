// What the appliance tells systemd, and when (runtime/service_notify.hpp).
#include <gtest/gtest.h>

#include "runtime/heartbeat.hpp"
#include "runtime/idle.hpp"
#include "runtime/service_notify.hpp"

namespace tickpath::runtime {
namespace {

TEST(ServiceNotify, ReadyIsSentOnceTheFirstTimeTheLifecycleHasReachedReady) {
  ServiceNotifications n;
  EXPECT_FALSE(n.on_lifecycle(false));
  EXPECT_EQ(n.on_lifecycle(true), "READY=1");
  EXPECT_FALSE(n.on_lifecycle(true)) << "READY=1 is sent exactly once";
  EXPECT_FALSE(n.on_lifecycle(false));
}

TEST(ServiceNotify, StatusNamesTheStateAndTheRate) {
  ServiceNotifications n;
  EXPECT_EQ(n.on_interval("WARMUP", 1234.4), "STATUS=WARMUP, 1234 events/s");
  EXPECT_EQ(n.on_interval("DEGRADED", 0), "STATUS=DEGRADED, 0 events/s");
}

TEST(ServiceNotify, WatchdogPingsOnlyWhenEveryHotThreadMoved) {
  ServiceNotifications n;
  EXPECT_FALSE(n.on_watchdog_check({{10, 0}, {5, 0}})) << "the first check only records";
  EXPECT_EQ(n.on_watchdog_check({{20, 0}, {15, 0}}), "WATCHDOG=1") << "both did work";
  EXPECT_EQ(n.on_watchdog_check({{20, 7}, {15, 3}}), "WATCHDOG=1") << "a quiet feed: both idle-polled";
  EXPECT_FALSE(n.on_watchdog_check({{30, 7}, {15, 3}})) << "execution wedged: neither consumed nor polled";
  EXPECT_FALSE(n.on_watchdog_check({{30, 7}, {16, 3}})) << "ingest wedged";
  EXPECT_EQ(n.on_watchdog_check({{31, 7}, {17, 3}}), "WATCHDOG=1") << "both moving again";
}

TEST(ServiceNotify, NothingButStoppingOnceShutdownBegan) {
  ServiceNotifications n;
  EXPECT_FALSE(n.on_watchdog_check({{1, 0}}));
  EXPECT_EQ(n.on_shutdown(), "STOPPING=1");
  EXPECT_FALSE(n.on_shutdown());
  EXPECT_FALSE(n.on_lifecycle(true)) << "READY after STOPPING would tell systemd a lie";
  EXPECT_FALSE(n.on_interval("READY", 1));
  EXPECT_FALSE(n.on_watchdog_check({{2, 0}}));
  EXPECT_TRUE(n.stopping());
}

TEST(ServiceNotify, HeartbeatIdleCountsOnlyEmptyPollsAndKeepsTheStrategyName) {
  LoopHeartbeat beat;
  HeartbeatIdle<PauseIdle> idle(beat);
  static_assert(HeartbeatIdle<PauseIdle>::kName == PauseIdle::kName);
  idle();
  idle();
  idle.reset();  // a poll with work: the work counter proves life, the beat stays
  EXPECT_EQ(beat.idle_polls.load(), 2u);
}

}  // namespace
}  // namespace tickpath::runtime
