// The run's messages to its service manager, read from a real AF_UNIX datagram socket named by
// NOTIFY_SOCKET as systemd would: READY=1 once the lifecycle reached READY and never before a
// STATUS that says WARMUP, STATUS= each interval, STOPPING=1 at the end, nothing without a socket.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/systemd/service_notifier.hpp"
#include "tests/support/temp_dir_test.hpp"

namespace tickpath::platform {
namespace {

namespace fs = std::filesystem;

class ServiceNotifierTest : public test_support::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    socket_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ASSERT_GE(socket_, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = (dir_ / "notify").string();
    ASSERT_LT(path.size(), sizeof addr.sun_path);
    path.copy(addr.sun_path, path.size());
    ASSERT_EQ(::bind(socket_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    ::unsetenv("WATCHDOG_USEC");
  }
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(socket_);
    TempDirTest::TearDown();
  }

  // Every datagram received so far, in order.
  std::vector<std::string> received() {
    std::vector<std::string> out;
    char buf[512];
    for (ssize_t n; (n = ::recv(socket_, buf, sizeof buf, 0)) > 0;) out.emplace_back(buf, static_cast<std::size_t>(n));
    return out;
  }

  int socket_ = -1;
  runtime::PipelineCounters counters;
  core::Lifecycle lifecycle;
};

TEST_F(ServiceNotifierTest, ReadyGoesOutOnceTheLifecycleReachedReadyAndBeforeTheStatusThatSaysSo) {
  ServiceNotifier n(lifecycle, counters, false);
  ASSERT_TRUE(n.active());
  const auto now = ServiceNotifier::Clock::now();
  n.poll(now);
  n.interval(now, 0);
  EXPECT_EQ(received(), (std::vector<std::string>{"STATUS=INIT, 0 events/s"}));
  ASSERT_TRUE(lifecycle.transition(core::LifecycleState::warmup).ok);
  ASSERT_TRUE(lifecycle.transition(core::LifecycleState::ready).ok);
  n.interval(now, 0);
  const std::vector<std::string> got = received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "READY=1");
  EXPECT_EQ(got[1].rfind("STATUS=READY", 0), 0u) << got[1];
  n.poll(now);
  EXPECT_TRUE(received().empty());  // READY=1 once
  n.stopping();
  EXPECT_EQ(received(), (std::vector<std::string>{"STOPPING=1"}));
  EXPECT_TRUE(n.errors().empty());
}

TEST_F(ServiceNotifierTest, AReadyThatWasLeftBeforeTheCheckStillCounts) {
  ServiceNotifier n(lifecycle, counters, true);
  ASSERT_TRUE(lifecycle.transition(core::LifecycleState::warmup).ok);
  ASSERT_TRUE(lifecycle.transition(core::LifecycleState::ready).ok);
  ASSERT_TRUE(lifecycle.transition(core::LifecycleState::degraded).ok);
  n.poll(ServiceNotifier::Clock::now());
  EXPECT_EQ(received(), (std::vector<std::string>{"READY=1"}));
}

TEST_F(ServiceNotifierTest, WithoutANotifySocketNothingIsSentAndNothingFails) {
  ::unsetenv("NOTIFY_SOCKET");
  ServiceNotifier n(lifecycle, counters, false);
  EXPECT_FALSE(n.active());
  n.interval(ServiceNotifier::Clock::now(), 10);
  n.stopping();
  EXPECT_TRUE(received().empty());
  EXPECT_TRUE(n.errors().empty());
}

}  // namespace
}  // namespace tickpath::platform
