// Rule: no system calls in the hot loop. A child process runs the hot loop on a thread that has
// installed a seccomp filter whose default action kills the process; the only call allowed is
// exit_group, which the thread makes itself when done. A killed child (SIGSYS) fails the test.
#include <seccomp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <thread>

#include <gtest/gtest.h>

#include "control/metrics/metrics_sink.hpp"
#include "tests/architecture/hot_loop_fixture.hpp"

namespace tickpath::testing {
namespace {

constexpr int kChildOk = 0;
constexpr int kChildShortRun = 3;
constexpr int kChildNoFilter = 4;

// Installs the kill-on-any-syscall filter on the calling thread only (no TSYNC).
bool install_filter() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
  if (ctx == nullptr) return false;
  if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) != 0) return false;
  // The context is deliberately not released: freeing it after seccomp_load could itself be a
  // system call (munmap) on the filtered thread.
  return seccomp_load(ctx) == 0;
}

template <class Body>
int run_in_filtered_child(Body body) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::thread worker([&] {
      if (!install_filter()) syscall(SYS_exit_group, kChildNoFilter);
      syscall(SYS_exit_group, body());
    });
    worker.join();
    _exit(kChildNoFilter);  // not reached: the worker ends the process
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// Positive control: the same filter, one getpid() -> the child dies of SIGSYS.
TEST(ZeroSyscall, FilterKillsAThreadThatMakesOneSystemCall) {
  const int status = run_in_filtered_child([] {
    (void)syscall(SYS_getpid);
    return kChildOk;
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGSYS);
}

template <class Sink>
void expect_no_syscall() {
  HotLoopFixture<Sink> loop;  // start-up, before the filter
  (void)loop.run(10'000);  // page in everything the loop touches
  const int status = run_in_filtered_child([&loop] {
    const std::uint64_t before = loop.consumer().consumed.load();
    return loop.run(1'000'000) - before >= 1'000'000 ? kChildOk : kChildShortRun;
  });
  ASSERT_FALSE(WIFSIGNALED(status)) << "the hot loop made a system call: killed by signal "
                                    << WTERMSIG(status) << " (SIGSYS = " << SIGSYS << ")";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), kChildOk);
}

TEST(ZeroSyscall, HotLoopRunsOneMillionEventsUnderTheFilter) { expect_no_syscall<core::NullSink>(); }

TEST(ZeroSyscall, WithTheMetricsSinkToo) { expect_no_syscall<control::MetricsSink>(); }

TEST(ZeroSyscall, WithTheAckLogTeeToo) { expect_no_syscall<SmallAckLogSink<control::MetricsSink>>(); }

}  // namespace
}  // namespace tickpath::testing
