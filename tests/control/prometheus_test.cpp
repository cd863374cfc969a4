// The /metrics body: well-formed lines, counters named _total, cumulative buckets that end at
// _count, and the values we put in.
#include <regex>
#include <sstream>

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

TEST(Prometheus, EveryLineIsACommentOrASample) {
  const std::string text = to_prometheus(sample());
  const std::regex sample_line(R"(^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [-+0-9.eInf]+$)");
  std::istringstream in(text);
  std::string line;
  int samples = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    EXPECT_TRUE(std::regex_match(line, sample_line)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 30);
}

TEST(Prometheus, CountersEndInTotal) {
  const std::regex type_line(R"(^# TYPE ([a-z_]+) counter$)");
  std::istringstream in(to_prometheus(sample()));
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, type_line)) {
      EXPECT_TRUE(m[1].str().ends_with("_total")) << m[1];
    }
  }
}

TEST(Prometheus, BucketsAreCumulativeAndInfEqualsCount) {
  const std::string text = to_prometheus(sample());
  const std::regex bucket(R"re(tickpath_latency_seconds_bucket\{stage="ingest_to_ack",le="([^"]+)"\} (\d+))re");
  std::uint64_t last = 0, inf = 0;
  int n = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), bucket); it != std::sregex_iterator(); ++it) {
    const std::uint64_t v = std::stoull((*it)[2]);
    EXPECT_GE(v, last) << (*it)[1];
    last = v;
    if ((*it)[1] == "+Inf") inf = v;
    ++n;
  }
  EXPECT_EQ(n, 17);
  const std::uint64_t count = sample().latency[0].second.count();
  EXPECT_EQ(inf, count);
  EXPECT_NE(text.find("tickpath_latency_seconds_count{stage=\"ingest_to_ack\"} " + std::to_string(count)), std::string::npos);
  // Everything recorded is below 100 us: the 100us bucket already holds (nearly) all of it.
  const std::regex b100(R"re(le="0\.0001"\} (\d+))re");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(text, m, b100));
  EXPECT_GE(std::stoull(m[1]), count * 99 / 100);
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

}  // namespace
}  // namespace tickpath::control
