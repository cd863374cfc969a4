// The failure schedule is deterministic by event count: driven by the real execution driver, the
// provisional acks are exactly the warmup's and the windows' events, on every machine.
#include <vector>

#include <gtest/gtest.h>

#include "control/failure/schedule.hpp"
#include "core/bus/consumer_loop.hpp"
#include "core/execution/execution_handler.hpp"
#include "runtime/loops.hpp"
#include "runtime/warmup.hpp"

namespace tickpath::control {
namespace {

using enum core::LifecycleState;

TEST(Schedule, EdgesAreSortedWithEndsBeforeStartsAtTheSameEvent) {
  core::Lifecycle lc;
  FailureInjector injector(lc);
  FailureSchedule s(injector, {{Scenario::execution_failure, 100, 50}, {Scenario::market_data_outage, 10, 90}});
  ASSERT_EQ(s.edges().size(), 4u);
  EXPECT_EQ(s.edges()[0].at, 10u);
  EXPECT_EQ(s.edges()[1].at, 100u);
  EXPECT_FALSE(s.edges()[1].activate) << "the outage ends before the failure starts at event 100";
  EXPECT_TRUE(s.edges()[2].activate);
  EXPECT_EQ(s.next(0), 10u);
  EXPECT_EQ(s.next(10), 100u);
  EXPECT_EQ(s.next(150), UINT64_MAX);
}

TEST(Schedule, ReachAppliesEveryDueEdgeOnceAndRecordsWhere) {
  core::Lifecycle lc;
  ASSERT_TRUE(lc.transition(warmup).ok);
  ASSERT_TRUE(lc.transition(ready).ok);
  FailureInjector injector(lc);
  FailureSchedule s(injector, {{Scenario::market_data_outage, 5, 10}});
  s.reach(4);
  EXPECT_EQ(lc.current(), ready);
  s.reach(5);
  EXPECT_EQ(lc.current(), degraded);
  s.reach(5);
  EXPECT_EQ(lc.current(), degraded);
  s.reach(15);
  EXPECT_EQ(lc.current(), ready);
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.edges()[0].applied_at, 5u);
  EXPECT_TRUE(s.edges()[1].ok);
}

TEST(Schedule, TheSummaryListsEachEdgeAsAppliedOrStillPending) {
  core::Lifecycle lc;
  ASSERT_TRUE(lc.transition(warmup).ok);  // a window may open during warmup
  FailureInjector injector(lc);
  FailureSchedule s(injector, {{Scenario::execution_failure, 5, 10}});
  s.reach(7);
  const nlohmann::json j = to_json(s.edges());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0], nlohmann::json({{"scenario", "execution_failure"}, {"action", "activate"}, {"at_event", 5},
                                  {"applied", true}, {"applied_at_event", 7}, {"ok", true}}));
  EXPECT_EQ(j[1]["action"], "deactivate");
  EXPECT_EQ(j[1]["at_event"], 15);
  EXPECT_FALSE(j[1]["applied"].get<bool>()) << "the run ended before event 15";
  EXPECT_TRUE(to_json(std::vector<ScheduleEdge>{}).is_array()) << "no schedule: an empty list, not null";
}

struct Harness {
  static constexpr std::size_t kCapacity = 1024;
  std::vector<core::RingSlot<core::Event>> storage{kCapacity};
  core::BroadcastRing<core::Event> ring{std::span(storage)};
};

// Publishes `total` events in bursts of `burst` and drives the execution consumer to the end.
struct Acks {
  std::uint64_t executed;
  std::uint64_t provisional;
};

Acks run(std::uint64_t warmup_steps, const std::vector<ScheduleWindow>& windows,
                            std::uint64_t total, std::size_t burst, core::Lifecycle& lc,
                            std::vector<ScheduleEdge>* edges_out) {
  Harness h;
  runtime::WarmupController warmup(lc, warmup_steps);
  EXPECT_TRUE(warmup.start().ok);
  FailureInjector injector(lc);
  FailureSchedule schedule(injector, windows);
  core::NullSink sink;
  core::Executor<core::NullSink> executor(lc.view(), sink);
  core::ExecutionCounters decisions;
  core::ExecutionHandler<core::NullSink> handler(executor, decisions);
  core::ConsumerCounters consumed;
  core::ConsumerLoop<core::Event, core::ExecutionHandler<core::NullSink>> loop(h.ring, handler, consumed);
  using Pair = runtime::MilestonePair<runtime::WarmupMilestone, FailureSchedule>;
  runtime::ExecutionDriver<decltype(loop), Pair> driver(loop, Pair(runtime::WarmupMilestone(warmup), schedule), consumed);

  std::vector<core::Event> events(burst);
  std::uint64_t published = 0;
  while (published < total) {
    const std::size_t n = std::min<std::uint64_t>(burst, total - published);
    for (std::size_t i = 0; i < n; ++i) events[i].seq = published + i;
    h.ring.publish_burst(std::span<const core::Event>(events.data(), n));
    published += n;
    while (driver.step()) {
    }
  }
  if (edges_out != nullptr) *edges_out = schedule.edges();
  return {decisions.executed.load(), decisions.provisional.load()};
}

TEST(Schedule, ProvisionalAcksAreExactlyWarmupPlusWindowsWhateverTheBurstSize) {
  for (std::size_t burst : {1u, 7u, 32u, 100u}) {
    core::Lifecycle lc;
    std::vector<ScheduleEdge> edges;
    const auto c = run(1000, {{Scenario::market_data_outage, 20'000, 5'000}, {Scenario::execution_failure, 40'000, 3}},
                       60'000, burst, lc, &edges);
    EXPECT_EQ(c.provisional, 1000u + 5'000u + 3u) << "burst " << burst;
    EXPECT_EQ(c.executed + c.provisional, 60'000u);
    EXPECT_EQ(lc.current(), ready);
    for (const ScheduleEdge& e : edges) {
      EXPECT_TRUE(e.applied && e.ok);
      EXPECT_EQ(e.applied_at, e.at) << "burst " << burst;
    }
    std::vector<core::LifecycleState> to;
    lc.history().snapshot([&](const core::TransitionRecord& r) { to.push_back(r.to); });
    EXPECT_EQ(to, (std::vector<core::LifecycleState>{warmup, ready, degraded, ready, degraded, ready}));
  }
}

TEST(Schedule, AWindowInsideWarmupRestoresWarmupAndWarmupStillEndsOnItsEvent) {
  core::Lifecycle lc;
  const auto c = run(10'000, {{Scenario::execution_failure, 2'000, 1'000}}, 20'000, 32, lc, nullptr);
  EXPECT_EQ(c.provisional, 10'000u) << "the window lies inside warmup: nothing extra is provisional";
  std::vector<core::LifecycleState> to;
  lc.history().snapshot([&](const core::TransitionRecord& r) { to.push_back(r.to); });
  EXPECT_EQ(to, (std::vector<core::LifecycleState>{warmup, degraded, warmup, ready}));
}

}  // namespace
}  // namespace tickpath::control
