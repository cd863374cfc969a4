// compare's choice of what to show: the changed config key first, no preflight noise, the stages
// in reading order, no rows for stages without a sample.
#include <gtest/gtest.h>

#include <algorithm>

#include "report/compare.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

json stage(std::uint64_t count, double p50) {
  return {{"count", count}, {"min_ns", count ? p50 / 2 : 0}, {"p50_ns", count ? p50 : 0}, {"p99_ns", count ? p50 * 3 : 0},
          {"max_ns", count ? p50 * 10 : 0}};
}

// A summary as a run writes it, with the preflight's measurements and seven stages, three empty.
json summary(std::uint64_t ring_capacity, double tsc_hz, double jitter_p99, const std::string& report_dir) {
  return {{"duration_s", 2.0},
          {"config", {{"ring", {{"capacity", ring_capacity}}}, {"report", {{"dir", report_dir}}}}},
          {"platform", {{"tsc_hz", tsc_hz},
                        {"cores", {{"ingest", 1}}},
                        {"jitter", {{"tsc_hz", tsc_hz}, {"cores", json::array({{{"cpu", 1}, {"p99_ns", jitter_p99}}})}}},
                        {"c2c", {{"same_cpu", true}, {"note", "shared"}}},
                        {"c2c_ns", jitter_p99 / 3}}},
          {"events", {{"published", 1000}}},
          {"latency", {{"ack", stage(1000, 20)}, {"decision", stage(1000, 300)}, {"ingest_to_ack", stage(1000, 1500)},
                          {"nic_to_ingest", stage(0, 0)}, {"queue", stage(1000, 700)}, {"wall_to_ack", stage(0, 0)},
                          {"wire_to_ack", stage(0, 0)}, {"clock_skew_clamped", 0}}},
          {"throughput", {{"events_per_s", 1e6}}}};
}

RunSet one_run(const json& s, const std::string& path) { return RunSet{path, {RunFolder{path, s, {}, false, {}, false}}, false}; }

TEST(Compare, TwoRunsThatDifferInOneConfigKeyShowThatKeyFirstAndNoPreflightNoise) {
  // The TSC rates differ by 10 ppm and every preflight figure differs, as on any two real runs.
  const Comparison c = compare_runs(one_run(summary(4096, 2.4e9, 900, "/tmp/a"), "a"),
                                    one_run(summary(8192, 2.400024e9, 1700, "/tmp/b"), "b"));
  ASSERT_FALSE(c.differences.empty());
  EXPECT_EQ(c.differences.front().key, "config.ring.capacity");
  for (const KeyDiff& d : c.differences) {
    EXPECT_FALSE(d.key.starts_with("platform.jitter")) << d.key;
    EXPECT_FALSE(d.key.starts_with("platform.c2c")) << d.key;
    EXPECT_FALSE(d.key.ends_with("tsc_hz")) << d.key;
  }
  // The output folder differs too, but it is listed after what changed the measurement.
  EXPECT_EQ(c.differences.back().key, "config.report.dir");
  const std::string text = format_comparison(c);
  EXPECT_LT(text.find("config.ring.capacity"), text.find("throughput.events_per_s"));
}

TEST(Compare, ATscRateDifferenceAboveOneInAThousandIsFlagged) {
  const Comparison c = compare_runs(one_run(summary(4096, 2.4e9, 900, "r"), "a"), one_run(summary(4096, 2.41e9, 900, "r"), "b"));
  ASSERT_EQ(c.differences.size(), 1u);
  EXPECT_EQ(c.differences[0].key, "platform.tsc_hz");
}

TEST(Compare, StagesComeIngestToAckFirstThenInAFixedOrderAndEmptyStagesAreLeftOut) {
  const Comparison c = compare_runs(one_run(summary(4096, 2.4e9, 900, "r"), "a"), one_run(summary(4096, 2.4e9, 900, "r"), "b"));
  std::vector<std::string> stages;
  for (const CompareRow& r : c.rows) {
    if (!r.metric.starts_with("latency.")) continue;
    const std::string name = r.metric.substr(8, r.metric.rfind('.') - 8);  // after "latency."
    if (stages.empty() || stages.back() != name) stages.push_back(name);
  }
  EXPECT_EQ(stages, (std::vector<std::string>{"ingest_to_ack", "queue", "decision", "ack"}));
}

TEST(Compare, AStageEmptyOnOneSideOnlyIsKept) {
  json b = summary(4096, 2.4e9, 900, "r");
  b["latency"]["wire_to_ack"] = stage(1000, 5000);
  const Comparison c = compare_runs(one_run(summary(4096, 2.4e9, 900, "r"), "a"), one_run(b, "b"));
  const bool kept = std::any_of(c.rows.begin(), c.rows.end(), [](const CompareRow& r) { return r.metric == "latency.wire_to_ack.p50_ns"; });
  EXPECT_TRUE(kept);
}

}  // namespace
}  // namespace tickpath::report
