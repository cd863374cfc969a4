// The control loop against fake sources: the aggregator turns the counters into one snapshot, the
// control plane serves it through its api, and the transports it is handed are started in order
// and stopped in reverse, without anything of platform/.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "control/metrics/drop_counts.hpp"
#include "control/plane/aggregator.hpp"
#include "control/plane/control_plane.hpp"

namespace tickpath::control {
namespace {

struct FakeSources {
  runtime::PipelineCounters counters;
  core::Lifecycle lifecycle;
  Observables observed;
  FailureInjector failures{lifecycle};

  FakeSources() {
    observed.counters = &counters;
    observed.lifecycle = &lifecycle;
    observed.calibration = core::TscCalibration(1e9);
    observed.analytics_enabled = false;
    observed.nic = [] { return NicCounters{500, 7, 1, 2}; };
  }
};

TEST(Aggregator, ASnapshotCarriesEveryCounterOnceWithEveryDropReasonListed) {
  FakeSources f;
  f.counters.ingest.frames.add(500);
  f.counters.ingest.events.add(480);
  f.counters.ingest.drops[static_cast<std::size_t>(core::DropReason::not_ipv4)].add(15);
  f.counters.ingest.drops[static_cast<std::size_t>(core::DropReason::truncated_udp)].add(5);
  f.counters.execution.consumed.add(470);
  f.counters.decisions.executed.add(400);
  f.counters.decisions.provisional.add(70);
  Aggregator a(f.observed, f.failures, [] { return true; });
  const ControlSnapshot s = a.take(1.5);
  EXPECT_EQ(s.uptime_s, 1.5);
  EXPECT_EQ(s.state, "INIT");
  EXPECT_FALSE(s.ready);
  EXPECT_EQ(s.frames, 500u);
  EXPECT_EQ(s.published, 480u);
  EXPECT_EQ(s.foreign, 15u);
  EXPECT_EQ(s.malformed, 5u);
  EXPECT_EQ(s.drops.size(), core::kDropReasonCount - 1);
  EXPECT_EQ(s.drops, drops_by_reason(f.counters.ingest));
  EXPECT_EQ(s.drops.front(), (std::pair<std::string, std::uint64_t>{"not_ipv4", 15}));  // DropReason order, "none" left out
  EXPECT_EQ(s.nic_missed, 7u);
  EXPECT_EQ(s.nic_rx_nombuf, 2u);
  ASSERT_EQ(s.consumers.size(), 1u);  // analytics off
  EXPECT_EQ(s.consumers[0].name, "execution");
  EXPECT_EQ(s.consumers[0].lag, 10u);  // published - consumed - lost
  EXPECT_TRUE(s.latency.empty());      // null sink
}

// Records what the control plane did to it, in `log`.
class RecordingTransport final : public Transport {
 public:
  RecordingTransport(std::string name, std::vector<std::string>& log, int port = 0, std::string error = {})
      : name_(std::move(name)), log_(&log), port_(port), error_(std::move(error)) {}
  std::string start(const ControlApi& api) override {
    log_->push_back(name_ + (api.complete() ? " start" : " start-incomplete"));
    return error_;
  }
  void stop() noexcept override { log_->push_back(name_ + " stop"); }
  int port() const noexcept override { return port_; }

 private:
  std::string name_;
  std::vector<std::string>* log_;
  int port_;
  std::string error_;
};

TEST(ControlPlane, StartsTransportsInOrderWithACompleteApiAndStopsThemInReverse) {
  FakeSources f;
  std::vector<std::string> log;
  {
    ControlPlane plane(f.observed, f.failures, [] { return true; }, {});
    std::vector<std::unique_ptr<Transport>> transports;
    transports.push_back(std::make_unique<RecordingTransport>("telemetry", log));
    transports.push_back(std::make_unique<RecordingTransport>("http", log, 9109));
    ASSERT_EQ(plane.start(std::move(transports)), "");
    EXPECT_EQ(plane.http_port(), 9109);
    EXPECT_EQ(plane.summary()["http"]["port"], 9109);
  }  // the destructor stops them
  EXPECT_EQ(log, (std::vector<std::string>{"telemetry start", "http start", "http stop", "telemetry stop"}));
}

TEST(ControlPlane, ATransportThatFailsToStartIsReportedAndTheOnesBeforeItAreStopped) {
  FakeSources f;
  std::vector<std::string> log;
  ControlPlane plane(f.observed, f.failures, [] { return true; }, {});
  std::vector<std::unique_ptr<Transport>> transports;
  transports.push_back(std::make_unique<RecordingTransport>("telemetry", log));
  transports.push_back(std::make_unique<RecordingTransport>("http", log, 0, "http.listen: port taken"));
  EXPECT_EQ(plane.start(std::move(transports)), "http.listen: port taken");
  plane.stop();
  EXPECT_EQ(log, (std::vector<std::string>{"telemetry start", "http start", "telemetry stop"}));
}

TEST(ControlPlane, TheApiServesTheLatestTicksSnapshotWithTheStateReadNow) {
  FakeSources f;
  ControlPlane plane(f.observed, f.failures, [] { return true; }, {});
  ASSERT_EQ(plane.start(), "");
  f.counters.ingest.events.add(42);
  (void)plane.tick(1.0);
  f.counters.ingest.events.add(1000);  // after the tick: not in the served snapshot
  const ControlSnapshot s = plane.api().snapshot();
  EXPECT_EQ(s.published, 42u);
  EXPECT_EQ(s.state, "INIT");
  EXPECT_NE(plane.api().prometheus().find("tickpath_events_published_total 42\n"), std::string::npos);
  EXPECT_NE(plane.api().prometheus().find("tickpath_health_status"), std::string::npos);
}

TEST(ControlPlane, TheLiveLineIsOfTheLastIntervalOnly) {
  FakeSources f;
  ControlPlane plane(f.observed, f.failures, [] { return true; }, {});
  ASSERT_EQ(plane.start(), "");
  EXPECT_EQ(plane.live_line(), "");
  f.counters.ingest.events.add(3000);
  (void)plane.tick(1.0);
  EXPECT_EQ(plane.live_line().substr(0, 35), "t=1.0s INIT     events/s    3.0k  n");
  f.counters.ingest.events.add(500);
  (void)plane.tick(2.0);
  EXPECT_EQ(plane.live_line().substr(0, 35), "t=2.0s INIT     events/s     500  n");
}

}  // namespace
}  // namespace tickpath::control
