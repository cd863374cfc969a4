#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <gtest/gtest.h>

#include "runtime/readiness.hpp"
#include "runtime/shutdown.hpp"
#include "runtime/warmup.hpp"

namespace tickpath::runtime {
namespace {

using core::Lifecycle;
using core::LifecycleState;

TEST(Warmup, StartMovesInitToWarmup) {
  Lifecycle lc;
  WarmupController w(lc, 10);
  EXPECT_TRUE(w.start().ok);
  EXPECT_EQ(lc.current(), LifecycleState::warmup);
}

TEST(Warmup, FlipsToReadyAtExactlyTheConfiguredStep) {
  Lifecycle lc;
  WarmupController w(lc, 1000);
  ASSERT_TRUE(w.start().ok);
  EXPECT_EQ(w.remaining(0), 1000u);
  EXPECT_EQ(w.remaining(999), 1u);
  EXPECT_FALSE(w.advance(999));
  EXPECT_EQ(lc.current(), LifecycleState::warmup);
  EXPECT_TRUE(w.advance(1000));
  EXPECT_EQ(lc.current(), LifecycleState::ready);
  EXPECT_EQ(w.remaining(1000), 0u);
}

TEST(Warmup, ZeroStepsGoesStraightToReady) {
  Lifecycle lc;
  WarmupController w(lc, 0);
  ASSERT_TRUE(w.start().ok);
  EXPECT_EQ(lc.current(), LifecycleState::ready);
  EXPECT_TRUE(w.completed());
}

TEST(Warmup, StartFromANonInitStateIsRejectedAndNamesBothStates) {
  Lifecycle lc;
  ASSERT_TRUE(lc.transition(LifecycleState::warmup).ok);
  WarmupController w(lc, 5);
  const auto r = w.start();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error().message(), "invalid lifecycle transition WARMUP -> WARMUP");
}

TEST(Warmup, DegradedDuringWarmupWaitsForRestoreThenCompletes) {
  Lifecycle lc;
  WarmupController w(lc, 10);
  ASSERT_TRUE(w.start().ok);
  ASSERT_TRUE(lc.transition(LifecycleState::degraded).ok);
  EXPECT_FALSE(w.advance(20));
  EXPECT_EQ(lc.current(), LifecycleState::degraded);
  ASSERT_TRUE(lc.transition(LifecycleState::warmup).ok);  // the scenario restores WARMUP
  EXPECT_TRUE(w.advance(21));
  EXPECT_EQ(lc.current(), LifecycleState::ready);
}

TEST(Readiness, ReadyOnlyWhenReadyAndLinkUp) {
  for (auto s : core::kAllLifecycleStates) {
    for (bool link : {false, true}) {
      const Readiness r = evaluate_readiness(s, link);
      EXPECT_EQ(r.ready, s == LifecycleState::ready && link) << core::to_string(s) << link;
    }
  }
}

TEST(Readiness, ReasonSaysWhichHalfFailed) {
  EXPECT_EQ(evaluate_readiness(LifecycleState::ready, false).reason, "link is down");
  EXPECT_EQ(evaluate_readiness(LifecycleState::degraded, true).reason,
            "lifecycle is DEGRADED, not READY");
  EXPECT_EQ(evaluate_readiness(LifecycleState::warmup, false).reason,
            "lifecycle is WARMUP, not READY; link is down");
  EXPECT_EQ(evaluate_readiness(LifecycleState::ready, true).reason, "ready");
}

TEST(Shutdown, FirstSignalSetsTheStopFlagAndRecordsTheSignal) {
  ASSERT_TRUE(ShutdownSignals::install());
  EXPECT_FALSE(ShutdownSignals::stop_requested());
  std::raise(SIGTERM);
  EXPECT_TRUE(ShutdownSignals::stop_requested());
  EXPECT_EQ(ShutdownSignals::signal_number(), SIGTERM);
  ShutdownSignals::uninstall();
  EXPECT_FALSE(ShutdownSignals::stop_requested());
}

TEST(ShutdownDeathTest, SecondSignalExitsAtOnceWith130) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        ShutdownSignals::install();
        std::raise(SIGINT);
        std::raise(SIGINT);
        std::_Exit(0);  // not reached when the second signal works
      },
      ::testing::ExitedWithCode(kExitInterrupted), "");
}

// A child that only a SIGINT or SIGTERM ends. Both are blocked across the fork, so none reaches
// the child while it still runs the parent's (inherited) handler.
pid_t fork_child_ended_by_signal() {
  sigset_t both, old;
  sigemptyset(&both);
  sigaddset(&both, SIGINT);
  sigaddset(&both, SIGTERM);
  sigprocmask(SIG_BLOCK, &both, &old);
  const pid_t child = fork();
  if (child == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &both, nullptr);
    for (;;) pause();
  }
  sigprocmask(SIG_SETMASK, &old, nullptr);
  return child;
}

TEST(Shutdown, ForwardModeRecordsEverySignalWithoutExitingOnTheSecond) {
  ASSERT_TRUE(ShutdownSignals::install(ShutdownSignals::Mode::forward));
  std::raise(SIGINT);
  std::raise(SIGINT);  // in stop mode this one would _exit(130)
  EXPECT_TRUE(ShutdownSignals::stop_requested());
  EXPECT_EQ(ShutdownSignals::signal_number(), SIGINT);
  ShutdownSignals::uninstall();
  EXPECT_EQ(ShutdownSignals::signal_number(), 0);
}

TEST(Shutdown, ForwardModeSendsASignalReceivedBeforeTheChildExistedToItOnceSet) {
  ASSERT_TRUE(ShutdownSignals::install(ShutdownSignals::Mode::forward));
  std::raise(SIGTERM);  // arrives between the caller's check and the fork
  const pid_t child = fork_child_ended_by_signal();
  ASSERT_GT(child, 0);
  ShutdownSignals::forward_to(child);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ShutdownSignals::forward_to(0);
  ShutdownSignals::uninstall();
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
}

TEST(Shutdown, ForwardModeSendsLaterSignalsToTheRunningChild) {
  ASSERT_TRUE(ShutdownSignals::install(ShutdownSignals::Mode::forward));
  const pid_t child = fork_child_ended_by_signal();
  ASSERT_GT(child, 0);
  ShutdownSignals::forward_to(child);
  std::raise(SIGINT);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ShutdownSignals::forward_to(0);
  EXPECT_EQ(ShutdownSignals::signal_number(), SIGINT);
  ShutdownSignals::uninstall();
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGINT);
}

}  // namespace
}  // namespace tickpath::runtime
