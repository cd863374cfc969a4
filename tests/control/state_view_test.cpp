// GET /state and the failure switches' reply, from the recorded snapshot: every key the
// integration tests and operators read, with the values put in.
#include <gtest/gtest.h>

#include "control/views/state_view.hpp"
#include "recorded_snapshot.hpp"

namespace tickpath::control {
namespace {

TEST(StateView, StateJsonCarriesEveryCounterOfTheSnapshotUnderItsDocumentedKey) {
  const nlohmann::json expected = nlohmann::json::parse(R"({
    "state": "READY", "ready": true, "ready_reason": "ready", "link_up": true, "uptime_s": 2.0,
    "counters": {"frames": 42130, "published": 42000, "heartbeats": 7, "malformed": 100, "foreign": 30,
                 "feed_gaps": 5, "drops": {"not_ipv4": 30, "truncated_udp": 60, "message_past_end": 40},
                 "executed": 40000, "provisional": 2000,
                 "nic": {"ipackets": 42200, "missed": 9, "errors": 1, "rx_nombuf": 6}},
    "consumers": [{"name": "execution", "consumed": 42000, "overruns": 1, "lost": 0, "lag": 0},
                  {"name": "analytics", "consumed": 41500, "overruns": 15, "lost": 400, "lag": 100}],
    "active_failures": ["market_data_outage", "execution_failure"]})");
  EXPECT_EQ(state_json(testing::recorded_snapshot()), expected);
}

TEST(StateView, StateJsonDumpsItsKeysInTheOrderTheEndpointHasAlwaysServed) {
  // nlohmann's default object sorts keys: /state's bytes depend on it, not on insertion order.
  const std::string text = state_json(testing::recorded_snapshot()).dump();
  EXPECT_EQ(text.substr(0, 61), R"({"active_failures":["market_data_outage","execution_failure"])");
}

TEST(StateView, FailureJsonNamesBothStatesAndTheMessage) {
  const FailureResult r{true, true, core::LifecycleState::ready, core::LifecycleState::degraded, "activated"};
  EXPECT_EQ(failure_json(r), nlohmann::json::parse(
                                 R"({"ok": true, "changed": true, "from": "READY", "to": "DEGRADED", "message": "activated"})"));
}

}  // namespace
}  // namespace tickpath::control
