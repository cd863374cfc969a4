// The /metrics body: well-formed lines, counters named _total, cumulative buckets that end at
// _count, and the values we put in.
#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "control/metrics/histogram.hpp"
#include "control/metrics/prometheus.hpp"

namespace tickpath::control {
namespace {

ControlSnapshot sample() {
  ControlSnapshot s;
  s.calibration = core::TscCalibration(1e9);
  s.state = "READY";
  s.ready = true;
  s.link_up = true;
  s.frames = 1000;
  s.published = 990;
  s.drops = {{"not_ipv4", 4}, {"wrong_port", 6}};
  s.executed = 900;
  s.provisional = 90;
  s.consumers = {{"execution", 990, 0, 0, 0}, {"analytics", 980, 1, 10, 0}};
  s.active_failures = {"execution_failure"};
  Histogram h;
  for (std::uint64_t v = 100; v < 100'000; v += 37) h.record(v);  // 100 ns .. 100 us
  s.latency.emplace_back("ingest_to_ack", h.snapshot());
  return s;
}

// No std::regex: GCC 12's libstdc++ regex trips -Wmaybe-uninitialized under the sanitizer build.
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// name{label="v",...} value
bool is_sample(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && (std::islower(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
  if (i == 0) return false;
  if (i < line.size() && line[i] == '{') {
    const std::size_t close = line.find("} ", i);
    if (close == std::string::npos) return false;
    const std::string labels = line.substr(i + 1, close - i - 1);
    std::size_t quotes = 0;
    for (char c : labels) quotes += c == '"';
    if (quotes == 0 || quotes % 2 != 0 || labels.find("=\"") == std::string::npos) return false;
    i = close + 1;
  }
  if (i >= line.size() || line[i] != ' ') return false;
  const std::string value = line.substr(i + 1);
  if (value.empty()) return false;
  for (char c : value) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '-' || c == '+')) return false;
  }
  return true;
}

TEST(Prometheus, EveryLineIsACommentOrASample) {
  int samples = 0;
  for (const std::string& line : lines_of(to_prometheus(sample()))) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    EXPECT_TRUE(is_sample(line)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 30);
}

TEST(Prometheus, CountersEndInTotal) {
  for (const std::string& line : lines_of(to_prometheus(sample()))) {
    if (line.rfind("# TYPE ", 0) != 0 || !line.ends_with(" counter")) continue;
    const std::string name = line.substr(7, line.size() - 7 - 8);
    EXPECT_TRUE(name.ends_with("_total")) << name;
  }
}

TEST(Prometheus, BucketsAreCumulativeAndInfEqualsCount) {
  const std::string text = to_prometheus(sample());
  const std::string prefix = "tickpath_latency_seconds_bucket{stage=\"ingest_to_ack\",le=\"";
  std::uint64_t last = 0, inf = 0, at_100us = 0;
  int n = 0;
  for (const std::string& line : lines_of(text)) {
    if (line.rfind(prefix, 0) != 0) continue;
    const std::size_t end = line.find('"', prefix.size());
    const std::string le = line.substr(prefix.size(), end - prefix.size());
    const std::uint64_t v = std::stoull(line.substr(line.rfind(' ') + 1));
    EXPECT_GE(v, last) << le;
    last = v;
    if (le == "+Inf") inf = v;
    if (le == "0.0001") at_100us = v;
    ++n;
  }
  EXPECT_EQ(n, 17);
  const std::uint64_t count = sample().latency[0].second.count();
  EXPECT_EQ(inf, count);
  EXPECT_NE(text.find("tickpath_latency_seconds_count{stage=\"ingest_to_ack\"} " + std::to_string(count)), std::string::npos);
  // Everything recorded is below 100 us: the 100us bucket already holds (nearly) all of it.
  EXPECT_GE(at_100us, count * 99 / 100);
}

TEST(Prometheus, ValuesAndStateGaugesAppear) {
  const std::string text = to_prometheus(sample());
  for (const char* expected : {"tickpath_frames_received_total 1000", "tickpath_frames_dropped_total{reason=\"wrong_port\"} 6",
                               "tickpath_acks_total{kind=\"provisional\"} 90",
                               "tickpath_consumer_lost_total{consumer=\"analytics\"} 10",
                               "tickpath_lifecycle_state{state=\"READY\"} 1", "tickpath_lifecycle_state{state=\"DEGRADED\"} 0",
                               "tickpath_failure_active{scenario=\"execution_failure\"} 1",
                               "tickpath_failure_active{scenario=\"market_data_outage\"} 0", "tickpath_ready 1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  }
}

TEST(Prometheus, LabelValuesEscapeBackslashQuoteAndNewline) {
  ControlSnapshot s = sample();
  s.consumers.push_back({"a\\b\"c\nd", 1, 0, 0, 0});
  const std::string text = to_prometheus(s);
  EXPECT_NE(text.find("tickpath_consumer_events_total{consumer=\"a\\\\b\\\"c\\nd\"} 1"), std::string::npos) << text;
}

TEST(Prometheus, ABucketCountsUnderABoundOnlyWhenItsHighestValueIsBelowIt) {
  ControlSnapshot s = sample();
  Histogram h;
  h.record(990);   // bucket [988, 991] ticks = ns: under le=1us
  h.record(1001);  // bucket [1000, 1003]: its highest is above 1us, so it waits for le=2.5us
  s.latency = {{"queue", h.snapshot()}};
  const std::string text = to_prometheus(s);
  EXPECT_NE(text.find("tickpath_latency_seconds_bucket{stage=\"queue\",le=\"1e-06\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_latency_seconds_bucket{stage=\"queue\",le=\"2.5e-06\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_latency_seconds_sum{stage=\"queue\"} 1.991e-06\n"), std::string::npos) << text;
}

TEST(Prometheus, SaturatedAndNegativeValuesAreExportedPerStage) {
  ControlSnapshot s = sample();
  Histogram h;
  h.record(~std::uint64_t{0});  // above the histogram's range: clamped and counted
  h.record(5);
  s.latency = {{"queue", h.snapshot()}, {"ack", Histogram().snapshot()}};
  s.latency_negative = {0, 7};
  const std::string text = to_prometheus(s);
  EXPECT_NE(text.find("tickpath_latency_saturated_total{stage=\"queue\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_latency_saturated_total{stage=\"ack\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_latency_negative_total{stage=\"queue\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_latency_negative_total{stage=\"ack\"} 7\n"), std::string::npos) << text;
}

TEST(Prometheus, WithoutLatencyHistogramsTheFamilyIsLeftOut) {
  ControlSnapshot s = sample();
  s.latency.clear();
  const std::string text = to_prometheus(s);
  EXPECT_EQ(text.find("tickpath_latency_seconds"), std::string::npos);
  EXPECT_NE(text.find("tickpath_frames_received_total 1000"), std::string::npos);
}

}  // namespace
}  // namespace tickpath::control

namespace tickpath::control {
namespace {

TEST(Prometheus, AckLogCountersAppearOnlyWhenTheAckLogIsOn) {
  ControlSnapshot s = sample();
  EXPECT_EQ(to_prometheus(s).find("tickpath_ack_log"), std::string::npos);
  s.ack_log = true;
  s.ack_log_queued = 1234;
  s.ack_log_dropped = 56;
  const std::string text = to_prometheus(s);
  EXPECT_NE(text.find("tickpath_ack_log_queued_total 1234\n"), std::string::npos) << text;
  EXPECT_NE(text.find("tickpath_ack_log_dropped_total 56\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace tickpath::control

#include "recorded_snapshot.hpp"

namespace tickpath::control {
namespace {

// The recorded tick: the same fixture as /state, telemetry and the live line.
TEST(Prometheus, TheRecordedSnapshotsCountersAppearWithTheirValues) {
  const std::string text = to_prometheus(testing::recorded_snapshot());
  for (const char* expected :
       {"tickpath_frames_received_total 42130\n", "tickpath_events_published_total 42000\n",
        "tickpath_feed_untracked_frames_total 4\n", "tickpath_frames_dropped_total{reason=\"truncated_udp\"} 60\n",
        "tickpath_nic_rx_nombuf_total 6\n", "tickpath_consumer_lag_events{consumer=\"analytics\"} 100\n",
        "tickpath_uptime_seconds 2\n", "tickpath_latency_seconds_count{stage=\"ingest_to_ack\"} 42000\n",
        "tickpath_latency_negative_total{stage=\"wire_to_ack\"} 3\n", "tickpath_ack_log_dropped_total 12\n"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected;
  }
}

TEST(Prometheus, WithTwoLinesTheLineFamiliesComeLastFromTheSnapshot) {
  const std::string text = to_prometheus(testing::recorded_snapshot());
  const std::size_t lines = text.find("# HELP tickpath_line_won");
  ASSERT_NE(lines, std::string::npos) << text;
  EXPECT_GT(lines, text.find("tickpath_latency_negative_total"));
  EXPECT_EQ(text.substr(lines),
            "# HELP tickpath_line_won Messages this line delivered first (published).\n"
            "# TYPE tickpath_line_won counter\n"
            "tickpath_line_won_total{line=\"A\"} 24000\ntickpath_line_won_total{line=\"B\"} 18000\n"
            "# HELP tickpath_line_duplicate Messages this line delivered after the other line.\n"
            "# TYPE tickpath_line_duplicate counter\n"
            "tickpath_line_duplicate_total{line=\"A\"} 900\ntickpath_line_duplicate_total{line=\"B\"} 1000\n"
            "# HELP tickpath_line_late Messages behind the arbitration window (not published).\n"
            "# TYPE tickpath_line_late counter\n"
            "tickpath_line_late_total{line=\"A\"} 10\ntickpath_line_late_total{line=\"B\"} 0\n"
            "# HELP tickpath_line_gaps Sequence numbers this line had not delivered when they left the window.\n"
            "# TYPE tickpath_line_gaps counter\n"
            "tickpath_line_gaps_total{line=\"A\"} 3\ntickpath_line_gaps_total{line=\"B\"} 4\n"
            "# HELP tickpath_line_filled_by_other Gaps of this line the other line filled.\n"
            "# TYPE tickpath_line_filled_by_other counter\n"
            "tickpath_line_filled_by_other_total{line=\"A\"} 2\ntickpath_line_filled_by_other_total{line=\"B\"} 1\n"
            "# HELP tickpath_lines_lost_total Sequence numbers neither line delivered within the window.\n"
            "# TYPE tickpath_lines_lost_total counter\ntickpath_lines_lost_total 1\n"
            "# HELP tickpath_lines_skew_ns B arrival minus A arrival (ns), per number both lines delivered.\n"
            "# TYPE tickpath_lines_skew_ns summary\n"
            "tickpath_lines_skew_ns{quantile=\"0.5\"} 120\ntickpath_lines_skew_ns{quantile=\"0.99\"} 120\n"
            "tickpath_lines_skew_ns{quantile=\"1\"} 120\ntickpath_lines_skew_ns_count 100\n");
}

TEST(Prometheus, WithOneLineThereIsNoLineFamily) {
  ControlSnapshot s = testing::recorded_snapshot();
  s.lines.clear();
  EXPECT_EQ(to_prometheus(s).find("tickpath_line"), std::string::npos);
}

}  // namespace
}  // namespace tickpath::control
