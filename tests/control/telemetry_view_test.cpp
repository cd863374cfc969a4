// The DPDK telemetry replies, from the recorded snapshot: the keys and values dpdk-telemetry.py
// shows, in order, as the transport copies them into rte_tel_data.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "control/views/telemetry_view.hpp"
#include "recorded_snapshot.hpp"

namespace tickpath::control {
namespace {

std::uint64_t u(std::uint64_t v) { return v; }

TEST(TelemetryView, StateReplyHasLifecycleReadinessUptimeInMsAndTheActiveFailuresJoined) {
  const TelemetryReply expected{{"state", std::string("READY")},
                                {"ready", u(1)},
                                {"ready_reason", std::string("ready")},
                                {"link_up", u(1)},
                                {"uptime_ms", u(2000)},
                                {"active_failures", std::string("market_data_outage,execution_failure")}};
  EXPECT_EQ(telemetry_state(testing::recorded_snapshot()), expected);
}

TEST(TelemetryView, StatsReplyListsTheCountersThenOneDropEntryPerReason) {
  const TelemetryReply r = telemetry_stats(testing::recorded_snapshot());
  const TelemetryReply expected{{"frames", u(42'130)},       {"published", u(42'000)},   {"heartbeats", u(7)},
                                {"malformed", u(100)},       {"foreign", u(30)},         {"feed_gaps", u(5)},
                                {"feed_recovered", u(2)},    {"feed_duplicates", u(3)},  {"feed_out_of_order", u(2)},
                                {"end_of_session", u(1)},    {"executed", u(40'000)},    {"provisional", u(2000)},
                                {"nic_ipackets", u(42'200)}, {"nic_missed", u(9)},       {"nic_errors", u(1)},
                                {"nic_rx_nombuf", u(6)},     {"drop_not_ipv4", u(30)},   {"drop_truncated_udp", u(60)},
                                {"drop_message_past_end", u(40)}};
  EXPECT_EQ(r, expected);
}

TEST(TelemetryView, LatencyReplyHasOneDictPerStageWithCountAndRoundedNanoseconds) {
  const TelemetryReply r = telemetry_latency(testing::recorded_snapshot());
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].key, "ingest_to_ack");
  const auto& ingest = std::get<TelemetryDict>(r[0].value);
  ASSERT_EQ(ingest.size(), 5u);
  EXPECT_EQ(ingest[0], (TelemetryField{"count", u(42'000)}));
  EXPECT_EQ(ingest[1].key, "p50_ns");
  EXPECT_EQ(ingest[2].key, "p99_ns");
  EXPECT_EQ(ingest[3].key, "p99_9_ns");
  EXPECT_EQ(ingest[4].key, "max_ns");
  // Cumulative since the start (the tick before's 1,000 samples at 100 us included): p50 at
  // 800 ns, p99 and above at 100 us, each within the histogram's bucket width (< 1%).
  const auto ns = [&](std::size_t i) { return std::get<std::uint64_t>(ingest[i].value); };
  EXPECT_NEAR(static_cast<double>(ns(1)), 800, 8);
  EXPECT_NEAR(static_cast<double>(ns(2)), 100'000, 1000);
  EXPECT_NEAR(static_cast<double>(ns(3)), 100'000, 1000);
  EXPECT_NEAR(static_cast<double>(ns(4)), 100'000, 1000);
  EXPECT_EQ(r[1].key, "wire_to_ack");
  EXPECT_EQ(std::get<TelemetryDict>(r[1].value)[0], (TelemetryField{"count", u(100)}));
}

TEST(TelemetryView, ConsumersReplyHasOneDictPerConsumer) {
  const TelemetryReply expected{
      {"execution", TelemetryDict{{"consumed", u(42'000)}, {"overruns", u(1)}, {"lost", u(0)}, {"lag", u(0)}}},
      {"analytics", TelemetryDict{{"consumed", u(41'500)}, {"overruns", u(15)}, {"lost", u(400)}, {"lag", u(100)}}}};
  EXPECT_EQ(telemetry_consumers(testing::recorded_snapshot()), expected);
}

TEST(TelemetryView, LinesReplyHasBothLinesTheLossAndTheSignedSkewAsInts) {
  const TelemetryReply expected{
      {"lines", u(2)},
      {"A", TelemetryDict{{"frames", u(25'000)}, {"won", u(24'000)}, {"duplicate", u(900)}, {"late", u(10)},
                          {"gaps", u(3)}, {"filled_by_other", u(2)}}},
      {"B", TelemetryDict{{"frames", u(19'000)}, {"won", u(18'000)}, {"duplicate", u(1000)}, {"late", u(0)},
                          {"gaps", u(4)}, {"filled_by_other", u(1)}}},
      {"lost", u(1)},
      // 90 samples at +120 ns, 10 at -300 ns: p50 and p99 are +120, the extremes -300 and +120.
      {"skew_b_minus_a", TelemetryDict{{"count", u(100)}, {"p50_ns", 120}, {"p99_ns", 120}, {"min_ns", -300},
                                       {"max_ns", 120}}}};
  EXPECT_EQ(telemetry_lines(testing::recorded_snapshot()), expected);
}

TEST(TelemetryView, LinesReplyWithOneLineIsOnlyTheCountZero) {
  ControlSnapshot s = testing::recorded_snapshot();
  s.lines.clear();
  EXPECT_EQ(telemetry_lines(s), (TelemetryReply{{"lines", u(0)}}));
}

TEST(TelemetryView, HealthReplyTurnsTheProbeListIntoNamesAndOneDictPerProbe) {
  const nlohmann::json health = nlohmann::json::parse(R"({
    "status": "warn",
    "probes": [{"name": "feed_stale", "status": "ok", "reason": "fresh"},
               {"name": "nic_drops", "status": "warn", "reason": "+7 missed"}],
    "since": {"t_s": 1.5, "nested": {"deep": 1}},
    "intervals": -3})");
  const TelemetryReply expected{
      {"intervals", -3},
      {"probes", TelemetryStrings{"feed_stale", "nic_drops"}},
      {"feed_stale", TelemetryDict{{"reason", std::string("fresh")}, {"status", std::string("ok")}}},
      {"nic_drops", TelemetryDict{{"reason", std::string("+7 missed")}, {"status", std::string("warn")}}},
      // DPDK nests one level: the double and the deeper object travel as their JSON text.
      {"since", TelemetryDict{{"nested", std::string(R"({"deep":1})")}, {"t_s", std::string("1.5")}}},
      {"status", std::string("warn")}};
  EXPECT_EQ(telemetry_health(health), expected);
}

TEST(TelemetryView, EveryCommandIsUnderTickpathAndHasHelp) {
  int n = 0;
  for (const TelemetryCommand& c : telemetry_commands()) {
    EXPECT_EQ(std::string(c.name).rfind("/tickpath/", 0), 0u) << c.name;
    EXPECT_NE(std::string(c.help), "");
    ++n;
  }
  EXPECT_EQ(n, 6);
}

}  // namespace
}  // namespace tickpath::control
