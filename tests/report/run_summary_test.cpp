// The typed run summary and the metric catalogue: what a summary.json holds comes back as figures
// with one name, unit and direction each; a summary of the wrong shape is a named error.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "report/metric_catalogue.hpp"
#include "report/run_summary.hpp"

namespace tickpath::report {
namespace {

using nlohmann::json;

json written_summary() {
  return {{"version", "0.1.0"},
          {"duration_s", 2.5},
          {"throughput", {{"published_per_s", 4e6}, {"acked_per_s", 3.9e6}, {"events_per_s", 4e6}}},
          {"window", {{"lost", 250000}, {"coverage", 0.975}, {"open", true}}},
          {"events",
           {{"published", 10000000}, {"malformed", 3}, {"foreign", 2}, {"nic_missed", 7}, {"nic_errors", 1},
            {"nic_rx_nombuf", 0}, {"feed", {{"gaps", 0}}}}},
          {"consumers", json::array({{{"name", "execution"}, {"consumed", 9750000}, {"overruns", 1}, {"lost", 250000}},
                                     {{"name", "analytics"}, {"consumed", 10000000}, {"overruns", 0}, {"lost", 0}}})},
          {"latency",
           {{"queue", {{"count", 9750000}, {"p50_ns", 300.0}, {"p99_ns", 900.0}, {"max_ns", 5000.0}}},
            {"ingest_to_ack", {{"count", 9750000}, {"min_ns", 400.0}, {"p50_ns", 1200.0}, {"p99_ns", 2400.0}, {"max_ns", 90000.0}}},
            {"clock_skew_clamped", 0}}},
          {"platform",
           {{"hugepages", true},
            {"c2c_ns", 140.0},
            {"jitter", {{"cores", json::array({{{"cpu", 2}, {"max_ns", 800.0}}, {{"cpu", 3}, {"max_ns", 1500.0}}})}}}}},
          {"shutdown", {{"reason", "duration"}}},
          {"lifecycle", {{"final", "READY"}}}};
}

double metric(const std::vector<Metric>& m, const std::string& name) {
  const auto it = std::find_if(m.begin(), m.end(), [&](const Metric& x) { return x.name == name; });
  if (it == m.end()) {
    ADD_FAILURE() << "no metric " << name;
    return -1;
  }
  return it->value;
}

bool has_metric(const std::vector<Metric>& m, const std::string& name) {
  return std::any_of(m.begin(), m.end(), [&](const Metric& x) { return x.name == name; });
}

TEST(RunSummary, AWrittenSummaryReadsBackAsTypedFigures) {
  const auto parsed = parse_run_summary(written_summary());
  ASSERT_TRUE(std::holds_alternative<RunSummary>(parsed)) << std::get<std::string>(parsed);
  const RunSummary& s = std::get<RunSummary>(parsed);
  EXPECT_EQ(s.duration_s, 2.5);
  EXPECT_EQ(s.acked_per_s, 3.9e6);
  EXPECT_EQ(s.window_lost, 250000u);
  EXPECT_EQ(s.published, 10000000u);
  ASSERT_EQ(s.consumers.size(), 2u);
  EXPECT_EQ(s.consumer("execution")->lost, 250000u);
  // ingest_to_ack first whatever the JSON order; clock_skew_clamped is a count, not a stage.
  ASSERT_EQ(s.latency.size(), 2u);
  EXPECT_EQ(s.latency[0].stage, "ingest_to_ack");
  EXPECT_EQ(s.latency[1].stage, "queue");
  EXPECT_EQ(s.stage("ingest_to_ack")->p99, 2400.0);
  EXPECT_FALSE(s.stage("queue")->min.has_value());  // absent, not zero
  EXPECT_EQ(s.floor_jitter_max_ns, 1500.0);         // the worst core
  EXPECT_EQ(s.shutdown_reason, "duration");
}

TEST(RunSummary, ReadAndWrittenAgainKeepsEveryKey) {
  const json original = written_summary();
  const auto parsed = parse_run_summary(original);
  ASSERT_TRUE(std::holds_alternative<RunSummary>(parsed));
  EXPECT_EQ(to_json(std::get<RunSummary>(parsed)), original);
}

TEST(RunSummary, ChangedFiguresAreWhatToJsonWrites) {
  RunSummary s = std::get<RunSummary>(parse_run_summary(written_summary()));
  s.acked_per_s = 1.0;
  s.consumers[1].lost = 42;
  const json j = to_json(s);
  EXPECT_EQ(j["throughput"]["acked_per_s"], 1.0);
  EXPECT_EQ(j["consumers"][1]["lost"], 42);
  EXPECT_EQ(j["lifecycle"]["final"], "READY");
}

TEST(RunSummary, WrongShapesAreNamedErrorsNotExceptions) {
  const auto error = [](const json& j) {
    const auto parsed = parse_run_summary(j);
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : std::string("(parsed)");
  };
  EXPECT_EQ(error(json::array({1, 2})), "expected a JSON object at the top, found an array");
  EXPECT_EQ(error({{"duration_s", 1}}), "field \"events\": missing (not a tickpath summary)");
  json s = written_summary();
  s["latency"]["queue"]["p99_ns"] = "slow";
  EXPECT_EQ(error(s), "field \"latency.queue.p99_ns\": expected a finite number >= 0, found a string");
  s = written_summary();
  s["window"]["lost"] = -1;
  EXPECT_EQ(error(s), "field \"window.lost\": expected a count (an integer >= 0), found a number");
  s = written_summary();
  s["throughput"]["acked_per_s"] = nullptr;
  EXPECT_EQ(error(s), "field \"throughput.acked_per_s\": expected a finite number >= 0, found null");
  s = written_summary();
  s["platform"]["c2c_ns"] = json::object();
  EXPECT_EQ(error(s), "field \"platform.c2c_ns\": expected a finite number >= 0 or null, found an object");
}

TEST(RunSummary, ASummaryWrittenBeforeTheKeyRenameIsANamedErrorNotZeros) {
  json old = written_summary();
  old["latency_ns"] = {{"ingest_to_ack", {{"count", 10}, {"p50", 1200.0}}}};
  old.erase("latency");
  const auto parsed = parse_run_summary(old);
  ASSERT_TRUE(std::holds_alternative<std::string>(parsed));
  EXPECT_NE(std::get<std::string>(parsed).find("field \"latency_ns\": a summary.json from before the key rename"),
            std::string::npos)
      << std::get<std::string>(parsed);
}

TEST(RunSummary, EveryStageFigureKeyCarriesItsUnitAndIsInTheCatalogue) {
  for (const StageFigure& f : stage_figures()) {
    EXPECT_TRUE(f.key.ends_with("_ns")) << f.key;
    const MetricInfo* info = find_metric("latency.queue." + std::string(f.key));
    ASSERT_NE(info, nullptr) << f.key;
    EXPECT_EQ(info->unit, Unit::ns) << f.key;
  }
  for (const StageCount& c : stage_counts()) EXPECT_FALSE(c.key.ends_with("_ns")) << c.key;
}

TEST(RunSummary, OnlyEventsIsASummaryWithNoFigures) {
  const auto parsed = parse_run_summary({{"events", json::object()}});
  ASSERT_TRUE(std::holds_alternative<RunSummary>(parsed));
  EXPECT_TRUE(run_metrics(std::get<RunSummary>(parsed)).empty());
}

TEST(MetricCatalogue, OneExtractionGivesEveryFigureWithItsUnitAndDirection) {
  const std::vector<Metric> m = run_metrics(std::get<RunSummary>(parse_run_summary(written_summary())));
  EXPECT_EQ(metric(m, "throughput.acked_per_s"), 3.9e6);
  EXPECT_EQ(metric(m, "drops.nic"), 8);
  EXPECT_EQ(metric(m, "drops.decoder"), 5);
  EXPECT_EQ(metric(m, "drops.total"), 8 + 5 + 250000);  // the execution consumer's losses count
  EXPECT_EQ(metric(m, "consumers.analytics.lost"), 0);
  EXPECT_EQ(metric(m, "latency.ingest_to_ack.p99_ns"), 2400.0);
  EXPECT_EQ(metric(m, "floor.jitter_max_ns"), 1500.0);
  EXPECT_FALSE(has_metric(m, "latency.queue.min_ns"));
  for (const Metric& x : m) {
    const MetricInfo* info = find_metric(x.name);
    ASSERT_NE(info, nullptr) << x.name;
    EXPECT_EQ(info->unit, x.unit) << x.name;
    EXPECT_EQ(info->better, x.better) << x.name;
  }
  EXPECT_EQ(m.front().name, "throughput.acked_per_s");  // display order: the catalogue's
}

TEST(MetricCatalogue, DirectionsAreTheOnesAReaderExpects) {
  EXPECT_EQ(find_metric("throughput.acked_per_s")->better, Better::higher);
  EXPECT_EQ(find_metric("window.coverage")->better, Better::higher);
  EXPECT_EQ(find_metric("latency.wire_to_ack.p99_9_ns")->better, Better::lower);
  EXPECT_EQ(find_metric("latency.wire_to_ack.p99_9_ns")->unit, Unit::ns);
  EXPECT_EQ(find_metric("consumers.analytics.overruns")->better, Better::lower);
  EXPECT_EQ(find_metric("throughput.published_per_s")->better, Better::neither);
  EXPECT_EQ(find_metric("floor.c2c_ns")->better, Better::neither);  // the machine's, not tickpath's
  EXPECT_EQ(find_metric("latency.queue"), nullptr);
  EXPECT_EQ(find_metric("latency.a.b.p50_ns"), nullptr);
  EXPECT_EQ(find_metric("lost.analytics"), nullptr);
}

TEST(MetricCatalogue, NamesAreUniqueAndEachNamesItsUnit) {
  std::set<std::string_view> seen;
  for (const MetricInfo& m : metric_catalogue()) {
    EXPECT_TRUE(seen.insert(m.name).second) << m.name;
    EXPECT_FALSE(unit_name(m.unit).empty());
  }
  EXPECT_EQ(unit_name(Unit::ns), "ns");
}

}  // namespace
}  // namespace tickpath::report

namespace tickpath::report {
namespace {

TEST(RunSummary, ANullSinkSummaryHasNoLatencyFigures) {
  // observability.sink = "null" writes latency and lines as null: nothing was recorded.
  nlohmann::json s = written_summary();
  s["latency"] = nullptr;
  s["lines"] = nullptr;
  s["platform"]["c2c_ns"] = nullptr;  // ingest and execution on one cpu: no floor
  const auto parsed = parse_run_summary(s);
  ASSERT_TRUE(std::holds_alternative<RunSummary>(parsed)) << std::get<std::string>(parsed);
  EXPECT_TRUE(std::get<RunSummary>(parsed).latency.empty());
  EXPECT_EQ(to_json(std::get<RunSummary>(parsed)), s);
}

}  // namespace
}  // namespace tickpath::report
