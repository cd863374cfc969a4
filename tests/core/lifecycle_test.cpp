// The lifecycle state machine: exactly the seed's edges, explicit errors, and a CAS that lets only
// one of two racing writers take an edge.
#include <array>
#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/state/lifecycle.hpp"

namespace tickpath::core {
namespace {

using enum LifecycleState;

// The seed's edges, written out independently of is_valid_transition():
// INIT->WARMUP; WARMUP->READY|DEGRADED; READY->DEGRADED; DEGRADED->READY|WARMUP.
bool seed_allows(LifecycleState from, LifecycleState to) {
  static const std::vector<std::pair<LifecycleState, LifecycleState>> edges = {
      {init, warmup}, {warmup, ready}, {warmup, degraded},
      {ready, degraded}, {degraded, ready}, {degraded, warmup}};
  for (const auto& [f, t] : edges) {
    if (f == from && t == to) return true;
  }
  return false;
}

// Drives a fresh lifecycle into `target` along valid edges only.
void drive_to(Lifecycle& lc, LifecycleState target) {
  std::vector<LifecycleState> path;
  switch (target) {
    case init: break;
    case warmup: path = {warmup}; break;
    case ready: path = {warmup, ready}; break;
    case degraded: path = {warmup, degraded}; break;
  }
  for (LifecycleState s : path) ASSERT_TRUE(lc.transition(s).ok) << to_string(s);
  ASSERT_EQ(lc.current(), target);
}

std::vector<TransitionRecord> history_of(const Lifecycle& lc) {
  std::vector<TransitionRecord> out;
  lc.history().snapshot([&](const TransitionRecord& r) { out.push_back(r); });
  return out;
}

std::string edge_name(LifecycleState from, LifecycleState to) {
  return std::string(to_string(from)) + " -> " + std::string(to_string(to));
}

// ---- every (from, to) pair through transition() ----

class LifecycleEdge : public ::testing::TestWithParam<std::tuple<LifecycleState, LifecycleState>> {};

TEST_P(LifecycleEdge, TransitionTakesExactlyTheSeedEdgesAndRejectsTheRest) {
  const auto [from, to] = GetParam();
  Lifecycle lc;
  drive_to(lc, from);
  const std::size_t edges_before = history_of(lc).size();

  const TransitionResult r = lc.transition(to);

  EXPECT_EQ(is_valid_transition(from, to), seed_allows(from, to));
  EXPECT_EQ(r.from, from);
  EXPECT_EQ(r.to, to);
  if (seed_allows(from, to)) {
    EXPECT_TRUE(r.ok);
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(lc.current(), to);
    const auto history = history_of(lc);
    ASSERT_EQ(history.size(), edges_before + 1);
    EXPECT_EQ(history.back().from, from);
    EXPECT_EQ(history.back().to, to);
  } else {
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(static_cast<bool>(r));
    EXPECT_EQ(lc.current(), from) << "a rejected transition must leave the state unchanged";
    EXPECT_EQ(history_of(lc).size(), edges_before) << "a rejected transition records nothing";
    EXPECT_EQ(r.error().from, from);
    EXPECT_EQ(r.error().to, to);
    EXPECT_NE(r.error().message().find(edge_name(from, to)), std::string::npos)
        << r.error().message();
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllSixteenPairs, LifecycleEdge,
    ::testing::Combine(::testing::ValuesIn(kAllLifecycleStates),
                       ::testing::ValuesIn(kAllLifecycleStates)),
    [](const auto& info) {
      return std::string(to_string(std::get<0>(info.param))) + "_to_" +
             std::string(to_string(std::get<1>(info.param)));
    });

// ---- single-threaded behaviour ----

TEST(Lifecycle, StartsInInitWithAnEmptyHistory) {
  Lifecycle lc;
  EXPECT_EQ(lc.current(), init);
  EXPECT_EQ(lc.view().load(), init);
  EXPECT_TRUE(history_of(lc).empty());
  EXPECT_EQ(lc.history().dropped(), 0u);
}

TEST(Lifecycle, RejectedTransitionMessageNamesBothStates) {
  Lifecycle lc;
  const TransitionResult r = lc.transition(ready);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.error().message(), "invalid lifecycle transition INIT -> READY");
  EXPECT_EQ(lc.current(), init);
}

TEST(Lifecycle, ToStringNamesEveryState) {
  EXPECT_EQ(to_string(init), "INIT");
  EXPECT_EQ(to_string(warmup), "WARMUP");
  EXPECT_EQ(to_string(ready), "READY");
  EXPECT_EQ(to_string(degraded), "DEGRADED");
}

TEST(Lifecycle, TransitionFromWithWrongExpectedStateFailsAndChangesNothing) {
  Lifecycle lc;
  drive_to(lc, warmup);
  const std::size_t edges_before = history_of(lc).size();
  // DEGRADED -> READY is a valid edge, but the state is WARMUP, not DEGRADED.
  const TransitionResult r = lc.transition_from(degraded, ready);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.from, warmup) << "the error reports the state actually observed";
  EXPECT_EQ(r.to, ready);
  EXPECT_EQ(lc.current(), warmup);
  EXPECT_EQ(history_of(lc).size(), edges_before);
}

TEST(Lifecycle, TransitionFromRejectsAnInvalidEdgeEvenWhenTheExpectedStateMatches) {
  Lifecycle lc;
  drive_to(lc, ready);
  const TransitionResult r = lc.transition_from(ready, warmup);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error().message(), "invalid lifecycle transition READY -> WARMUP");
  EXPECT_EQ(lc.current(), ready);
}

TEST(Lifecycle, TransitionFromWithMatchingExpectedStateTakesTheEdge) {
  Lifecycle lc;
  drive_to(lc, degraded);
  const TransitionResult r = lc.transition_from(degraded, warmup);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.from, degraded);
  EXPECT_EQ(lc.current(), warmup);
  const auto history = history_of(lc);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().from, degraded);
  EXPECT_EQ(history.back().to, warmup);
}

TEST(Lifecycle, ViewReadsWhatWasWritten) {
  Lifecycle lc;
  const LifecycleView view = lc.view();
  EXPECT_EQ(view.load(), init);
  for (LifecycleState s : {warmup, degraded, ready, degraded, warmup, ready}) {
    ASSERT_TRUE(lc.transition(s).ok) << to_string(s);
    EXPECT_EQ(view.load(), s);
    EXPECT_EQ(lc.current(), s);
  }
}

TEST(Lifecycle, HistoryRecordsEveryEdgeTakenInOrderWithNonDecreasingStamps) {
  Lifecycle lc;
  const std::vector<LifecycleState> path = {warmup, degraded, warmup, ready, degraded, ready};
  LifecycleState prev = init;
  for (LifecycleState s : path) ASSERT_TRUE(lc.transition(s).ok);
  ASSERT_FALSE(lc.transition(init).ok);  // rejected: not recorded
  const auto history = history_of(lc);
  ASSERT_EQ(history.size(), path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    EXPECT_EQ(history[i].from, prev) << i;
    EXPECT_EQ(history[i].to, path[i]) << i;
    if (i > 0) {
      EXPECT_GE(history[i].tsc, history[i - 1].tsc) << i;
    }
    prev = path[i];
  }
}

TEST(Lifecycle, FullHistoryStopsRecordingAndCountsWhatItDropped) {
  Lifecycle lc;
  ASSERT_TRUE(lc.transition(warmup).ok);
  constexpr std::size_t kExtra = 44;
  const std::size_t total = TransitionHistory::kCapacity + kExtra;
  for (std::size_t i = 1; i < total; ++i) {
    ASSERT_TRUE(lc.transition(i % 2 == 1 ? degraded : warmup).ok) << i;
  }
  const auto history = history_of(lc);
  EXPECT_EQ(history.size(), TransitionHistory::kCapacity);
  EXPECT_EQ(lc.history().dropped(), kExtra);
  EXPECT_EQ(history.front().from, init);
  EXPECT_EQ(history.front().to, warmup);
  // The state machine itself keeps working after the history is full.
  EXPECT_EQ(lc.current(), total % 2 == 0 ? degraded : warmup);
}

// ---- concurrency ----

// Both threads wait on `go`, then attempt `attempt`; returns the two results.
template <class Attempt>
std::array<TransitionResult, 2> race(Attempt attempt) {
  std::atomic<int> waiting{0};
  std::atomic<bool> go{false};
  std::array<TransitionResult, 2> results{};
  std::array<std::thread, 2> threads;
  for (std::size_t t = 0; t < 2; ++t) {
    threads[t] = std::thread([&, t] {
      waiting.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      results[t] = attempt(t);
    });
  }
  while (waiting.load() != 2) std::this_thread::yield();
  go.store(true, std::memory_order_release);
  for (auto& th : threads) th.join();
  return results;
}

TEST(LifecycleConcurrency, TwoThreadsRacingTheSameTransitionExactlyOneWins) {
  constexpr int kRounds = 150;
  for (LifecycleState from : kAllLifecycleStates) {
    for (LifecycleState to : kAllLifecycleStates) {
      if (!seed_allows(from, to)) continue;
      for (int round = 0; round < kRounds; ++round) {
        Lifecycle lc;
        drive_to(lc, from);
        const std::size_t edges_before = history_of(lc).size();
        const auto results = race([&](std::size_t) { return lc.transition(to); });
        const int wins = int{results[0].ok} + int{results[1].ok};
        ASSERT_EQ(wins, 1) << edge_name(from, to) << " round " << round;
        const TransitionResult& loser = results[0].ok ? results[1] : results[0];
        EXPECT_EQ(loser.from, to) << "the loser saw the winner's state";
        EXPECT_EQ(lc.current(), to);
        ASSERT_EQ(history_of(lc).size(), edges_before + 1) << "exactly one edge recorded";
      }
    }
  }
}

TEST(LifecycleConcurrency, TwoThreadsRacingTransitionFromTheSameStateToDifferentTargetsExactlyOneWins) {
  for (int round = 0; round < 300; ++round) {
    Lifecycle lc;
    drive_to(lc, warmup);
    const std::array<LifecycleState, 2> targets = {ready, degraded};
    const auto results = race([&](std::size_t t) { return lc.transition_from(warmup, targets[t]); });
    ASSERT_EQ(int{results[0].ok} + int{results[1].ok}, 1) << "round " << round;
    const std::size_t winner = results[0].ok ? 0 : 1;
    EXPECT_EQ(lc.current(), targets[winner]);
    EXPECT_EQ(results[1 - winner].from, targets[winner]);
    const auto history = history_of(lc);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history.back().from, warmup);
    EXPECT_EQ(history.back().to, targets[winner]);
  }
}

TEST(LifecycleConcurrency, ReaderThreadOnlyEverSeesStatesThatWereWritten) {
  Lifecycle lc;
  ASSERT_TRUE(lc.transition(warmup).ok);
  ASSERT_TRUE(lc.transition(ready).ok);
  std::atomic<bool> done{false};
  std::thread reader([&] {
    const LifecycleView view = lc.view();
    while (!done.load(std::memory_order_acquire)) {
      const LifecycleState s = view.load();
      ASSERT_TRUE(s == ready || s == degraded) << static_cast<int>(s);
    }
  });
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE(lc.transition(degraded).ok);
    ASSERT_TRUE(lc.transition(ready).ok);
  }
  done.store(true, std::memory_order_release);
  reader.join();
  EXPECT_EQ(lc.current(), ready);
}

}  // namespace
}  // namespace tickpath::core
